/** Asks before something that cannot be undone: what it is, and a button saying what will happen. */
import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { ErrorBanner } from './error-banner.tsx';
import { Modal } from './modal.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  /** The confirming button's label, e.g. `Delete conversation`. */
  confirmLabel: string;
  /** The button's label while it works, e.g. `Removing…` (default `Deleting…`). */
  busyLabel?: string;
  busy: boolean;
  error: ApiError | null;
  onConfirm(): void;
  onCancel(): void;
}

/** A modal with the question, a cancel button (focused first) and a destructive confirm button. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Modal open={props.open} title={props.title} onCancel={props.onCancel}>
      <div className="modal-body">{props.children}</div>
      {props.error ? <ErrorBanner error={props.error} /> : null}
      <div className="modal-actions">
        {/* biome-ignore lint/a11y/noAutofocus: the safe choice takes the focus when the dialog opens */}
        <button type="button" className="button" onClick={props.onCancel} disabled={props.busy} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          onClick={props.onConfirm}
          disabled={props.busy}
        >
          {props.busy ? (props.busyLabel ?? 'Deleting…') : props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
