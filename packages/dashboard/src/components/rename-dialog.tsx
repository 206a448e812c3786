/** Renames a conversation: the name people see instead of the one its tracker sent. */
import { useEffect, useState } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { ErrorBanner } from './error-banner.tsx';
import { Modal } from './modal.tsx';

/** A modal with the name to edit; Save sends it, "Use tracked name" sends null. */
export function RenameDialog(props: {
  open: boolean;
  current: string;
  busy: boolean;
  error: ApiError | null;
  onSave(name: string | null): void;
  onCancel(): void;
}) {
  const [name, setName] = useState(props.current);
  useEffect(() => {
    if (props.open) setName(props.current);
  }, [props.open, props.current]);
  return (
    <Modal open={props.open} title="Rename conversation" onCancel={props.onCancel}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.onSave(name.trim());
        }}
      >
        <label className="modal-body">
          <span className="field-label">Name</span>
          <input
            className="input"
            value={name}
            maxLength={512}
            required
            // biome-ignore lint/a11y/noAutofocus: the one field of the dialog
            autoFocus
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        {props.error ? <ErrorBanner error={props.error} /> : null}
        <div className="modal-actions">
          <button
            type="button"
            className="button button-quiet modal-aside"
            disabled={props.busy}
            onClick={() => props.onSave(null)}
          >
            Use tracked name
          </button>
          <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={props.busy || name.trim() === ''}>
            {props.busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
