/**
 * "Add to dataset": a button and its dialog, where an admin key picks a dataset or names a new one, and
 * reads what happened (`Added to Refunds`, `Already in Refunds`). One conversation from its page, or the
 * conversations the list's filters find.
 */
import { useState } from 'react';
import type { ApiError } from '../api/api-error.ts';
import {
  addToDataset,
  createDataset,
  type Dataset,
  type DatasetTarget,
  listDatasets,
} from '../api/datasets-api.ts';
import { useApi } from '../api/use-api.ts';
import { type DatasetOutcome, describeDatasetOutcome } from '../lib/dataset-outcome.ts';
import { pathOf } from '../router/hash-router.ts';
import { useClient } from '../session/session-context.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { Modal } from './modal.tsx';

/** The select's value for "a new dataset". */
const NEW = '';

export interface AddToDatasetProps {
  /** The button's label: `Add to dataset`, `Add filtered to dataset`. */
  label: string;
  /** What goes in, as the dialog says it: the conversation's title, or which filtered ones. */
  what: string;
  /** The conversations, or a filter, resolved when the person presses Add. */
  target(): DatasetTarget;
}

/** The button; it opens the dialog. */
export function AddToDatasetButton(props: AddToDatasetProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {props.label}
      </button>
      <Modal open={open} title={props.label} onCancel={() => setOpen(false)}>
        <AddToDatasetForm {...props} onClose={() => setOpen(false)} />
      </Modal>
    </>
  );
}

/** What was added where, kept to show under the form. */
interface Done extends DatasetOutcome {
  dataset: Dataset;
}

function AddToDatasetForm(props: AddToDatasetProps & { onClose(): void }) {
  const client = useClient();
  const datasets = useApi((c, signal) => listDatasets(c, signal), []);
  const [chosen, setChosen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const list = datasets.data ?? [];
  const choice = chosen ?? list[0]?.id ?? NEW;
  const single = 'conversationIds' in props.target();

  const submit = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const typed = name.trim();
      const dataset =
        choice === NEW
          ? (list.find((d) => d.name === typed) ?? (await createDataset(client, typed)))
          : list.find((d) => d.id === choice);
      if (!dataset) return;
      const result = await addToDataset(client, dataset.id, props.target());
      setDone({ ...describeDatasetOutcome(result, { datasetName: dataset.name, single }), dataset });
      datasets.reload();
      setChosen(dataset.id);
      setName('');
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="add-dataset-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="modal-body">
        <p className="add-dataset-what">{props.what}</p>
        {datasets.error ? <ErrorBanner error={datasets.error} onRetry={datasets.reload} /> : null}
        <label className="field">
          <span className="field-label">Dataset</span>
          <select
            className="input input-wide"
            value={choice}
            disabled={!datasets.data}
            onChange={(event) => setChosen(event.target.value)}
          >
            {list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.itemCount} item{d.itemCount === 1 ? '' : 's'})
              </option>
            ))}
            <option value={NEW}>New dataset…</option>
          </select>
        </label>
        {choice === NEW ? (
          <label className="field">
            <span className="field-label">New dataset's name</span>
            <input
              className="input input-wide"
              value={name}
              maxLength={200}
              required
              // biome-ignore lint/a11y/noAutofocus: the one field to fill when no dataset exists yet
              autoFocus
              placeholder="e.g. refund questions"
              onChange={(event) => setName(event.target.value)}
            />
          </label>
        ) : null}
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {done ? (
        <div
          className={`banner ${done.added ? 'banner-done' : 'banner-warn'} add-dataset-outcome`}
          role="status"
        >
          <span>
            {done.text}.{' '}
            <a href={`#${pathOf('datasets', done.dataset.id)}`} onClick={props.onClose}>
              Open {done.dataset.name}
            </a>
          </span>
        </div>
      ) : null}
      <div className="modal-actions">
        <button type="button" className="button" onClick={props.onClose} disabled={busy}>
          {done ? 'Close' : 'Cancel'}
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || !datasets.data || (choice === NEW && name.trim() === '')}
        >
          {busy ? 'Adding…' : 'Add'}
        </button>
      </div>
    </form>
  );
}
