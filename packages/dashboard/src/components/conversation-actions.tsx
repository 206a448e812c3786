/**
 * Rename, mark, add to a dataset and delete one conversation. Only pages signed in with an admin key render it (the
 * collector refuses these to other keys anyway); delete asks first, naming the conversation.
 */
import { useState } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { type ErasureReceipt, eraseConversation, patchConversation } from '../api/curation-api.ts';
import type { ConversationDetail } from '../api/types.ts';
import { useClient } from '../session/session-context.tsx';
import { AddToDatasetButton } from './add-to-dataset.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { RenameDialog } from './rename-dialog.tsx';

export interface ConversationActionsProps {
  detail: ConversationDetail;
  /** The title the page shows (name, first message or what happened). */
  title: string;
  /** After a rename or a mark: the page reads the conversation again. */
  onChanged(): void;
  onDeleted(receipt: ErasureReceipt): void;
}

const counted = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The Mark, Rename, Add to dataset and Delete buttons of a conversation page, and their dialogs. */
export function ConversationActions(props: ConversationActionsProps) {
  const client = useClient();
  const c = props.detail.conversation;
  const [dialog, setDialog] = useState<'rename' | 'delete' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async <T,>(work: () => Promise<T>, done: (value: T) => void) => {
    setBusy(true);
    setError(null);
    try {
      done(await work());
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setDialog(null);
    setError(null);
  };
  const changed = () => {
    close();
    props.onChanged();
  };
  return (
    <>
      <div className="curation-actions">
        <button
          type="button"
          className="button"
          aria-pressed={c.marked}
          disabled={busy}
          onClick={() => run(() => patchConversation(client, c.id, { marked: !c.marked }), changed)}
        >
          {c.marked ? '★ Marked' : '☆ Mark'}
        </button>
        <button type="button" className="button" onClick={() => setDialog('rename')}>
          Rename
        </button>
        <AddToDatasetButton
          label="Add to dataset"
          what={`“${props.title}” (${c.id})`}
          target={() => ({ conversationIds: [c.id] })}
        />
        <button type="button" className="button button-danger-quiet" onClick={() => setDialog('delete')}>
          Delete
        </button>
      </div>
      {error && dialog === null ? <ErrorBanner error={error} /> : null}
      <RenameDialog
        open={dialog === 'rename'}
        current={c.name ?? ''}
        busy={busy}
        error={error}
        onSave={(name) => run(() => patchConversation(client, c.id, { name }), changed)}
        onCancel={close}
      />
      <ConfirmDialog
        open={dialog === 'delete'}
        title="Delete this conversation?"
        confirmLabel="Delete conversation"
        busy={busy}
        error={error}
        onConfirm={() => run(() => eraseConversation(client, c.id), props.onDeleted)}
        onCancel={close}
      >
        <p>
          <strong>“{props.title}”</strong> (<code>{c.id}</code>)
          {c.customerId ? (
            <>
              {' '}
              of customer <code>{c.customerId}</code>
            </>
          ) : null}
        </p>
        <p>
          Its {counted(props.detail.messages.length, 'message')}, {counted(props.detail.steps.length, 'step')}{' '}
          and feedback, its part in every chart and total, and the served agents' session and runs of it are
          erased. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
