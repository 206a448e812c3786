/**
 * Emptying a dataset from its page (admin keys only): removing one item, or deleting the whole dataset
 * with its experiments. Each asks first, saying what goes and that the conversations stay.
 */
import { type ReactNode, useState } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { deleteDataset, removeDatasetItem } from '../api/datasets-api.ts';
import type { Dataset, DatasetItem } from '../api/types.ts';
import { formatCount, truncate } from '../lib/format.ts';
import { useClient } from '../session/session-context.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';

export interface DatasetRemoval {
  /** Opens the confirmation for deleting the dataset. */
  askDataset(): void;
  /** Opens the confirmation for removing an item. */
  askItem(item: DatasetItem): void;
  /** The dialog, to render on the page. */
  view: ReactNode;
}

type Doomed = { kind: 'dataset' } | { kind: 'item'; item: DatasetItem };

const plural = (count: number, word: string) => `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;

/** State and view of removing from a dataset; `onItemRemoved` reloads the page, `onDeleted` leaves it. */
export function useDatasetRemoval(options: {
  dataset: Dataset;
  onItemRemoved(): void;
  onDeleted(): void;
}): DatasetRemoval {
  const client = useClient();
  const { dataset } = options;
  const [doomed, setDoomed] = useState<Doomed | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const confirm = async (target: Doomed) => {
    setBusy(true);
    setError(null);
    try {
      if (target.kind === 'dataset') await deleteDataset(client, dataset.id);
      else await removeDatasetItem(client, { datasetId: dataset.id, itemId: target.item.id });
      setDoomed(null);
      if (target.kind === 'dataset') options.onDeleted();
      else options.onItemRemoved();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const view = (
    <ConfirmDialog
      open={doomed !== null}
      title={doomed?.kind === 'item' ? 'Remove this item?' : 'Delete this dataset?'}
      confirmLabel={doomed?.kind === 'item' ? 'Remove item' : 'Delete dataset'}
      busyLabel={doomed?.kind === 'item' ? 'Removing…' : 'Deleting…'}
      busy={busy}
      error={error}
      onConfirm={() => doomed && confirm(doomed)}
      onCancel={() => {
        setDoomed(null);
        setError(null);
      }}
    >
      {doomed?.kind === 'item' ? (
        <p>
          “{truncate(doomed.item.turns[0]?.human ?? 'No text', 120)}” leaves <strong>{dataset.name}</strong>,
          with what its experiments made of it. The conversation it was taken from stays.
        </p>
      ) : doomed ? (
        <p>
          <strong>{dataset.name}</strong>, its {plural(dataset.itemCount, 'item')} and{' '}
          {plural(dataset.experimentCount, 'experiment')} are deleted. The conversations they were taken from
          and those the replays made stay. This cannot be undone.
        </p>
      ) : null}
    </ConfirmDialog>
  );
  return {
    askDataset: () => setDoomed({ kind: 'dataset' }),
    askItem: (item) => setDoomed({ kind: 'item', item }),
    view,
  };
}
