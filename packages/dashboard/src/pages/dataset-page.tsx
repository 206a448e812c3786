/**
 * One dataset: its experiments (newest first) with the control comparing two sides, and its items
 * (the first human turn, how many turns, the conversation it was taken from). An admin key can remove
 * an item or delete the dataset, each after a confirmation.
 */
import type { ApiError } from '../api/api-error.ts';
import { datasetDetail } from '../api/datasets-api.ts';
import type { DatasetDetail, DatasetItem, Experiment } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { ComparePicker, comparisonRoute } from '../components/compare-picker.tsx';
import { useDatasetRemoval } from '../components/dataset-removal.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatCount, formatDateTime, formatFullTime, formatRelative, truncate } from '../lib/format.ts';
import { navigate, pathOf } from '../router/hash-router.ts';
import { useSession } from '../session/session-context.tsx';
import '../components/datasets.css';

const counted = (count: number, word: string) => `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;

/** The dataset page. */
export function DatasetPage(props: { datasetId: string }) {
  const { data, error, loading, reload } = useApi(
    (client, signal) => datasetDetail(client, props.datasetId, signal),
    [props.datasetId],
  );
  if (!data)
    return (
      <div className="page">
        <BackToDatasets />
        {error?.status === 404 ? (
          <EmptyState title="Dataset not found">
            No dataset <code>{props.datasetId}</code> in this project.
          </EmptyState>
        ) : error ? (
          <ErrorBanner error={error} onRetry={reload} />
        ) : (
          <p className="muted pad" role="status">
            Loading dataset…
          </p>
        )}
      </div>
    );
  return <DatasetView detail={data} loading={loading} error={error} reload={reload} />;
}

function DatasetView(props: {
  detail: DatasetDetail;
  loading: boolean;
  error: ApiError | null;
  reload(): void;
}) {
  const { dataset } = props.detail;
  const canManage = useSession().project?.scope === 'admin';
  const removal = useDatasetRemoval({
    dataset,
    onItemRemoved: props.reload,
    onDeleted: () => navigate('/datasets'),
  });
  return (
    <div className="page">
      <BackToDatasets />
      <PageHeader
        title={dataset.name}
        subtitle={[
          dataset.description,
          `${counted(dataset.itemCount, 'item')} · ${counted(dataset.experimentCount, 'experiment')} · updated ${formatRelative(dataset.updatedAt)}`,
        ]
          .filter(Boolean)
          .join(' — ')}
        actions={
          <>
            <button type="button" className="button" onClick={props.reload} disabled={props.loading}>
              {props.loading ? 'Loading…' : 'Refresh'}
            </button>
            {canManage ? (
              <button type="button" className="button button-danger-quiet" onClick={removal.askDataset}>
                Delete dataset
              </button>
            ) : null}
          </>
        }
      />
      {props.error ? <ErrorBanner error={props.error} onRetry={props.reload} /> : null}
      <Experiments detail={props.detail} />
      <Items items={props.detail.items} onRemove={canManage ? removal.askItem : undefined} />
      {removal.view}
    </div>
  );
}

function BackToDatasets() {
  return (
    <a className="back-link" href="#/datasets">
      ← Datasets
    </a>
  );
}

function Experiments(props: { detail: DatasetDetail }) {
  const { dataset, experiments } = props.detail;
  return (
    <section className="dataset-section" aria-labelledby="experiments-heading">
      <h2 id="experiments-heading">Experiments</h2>
      {experiments.length === 0 ? (
        <p className="muted">
          None yet. Replay this dataset against an agent with{' '}
          <code>sightline replay --dataset {JSON.stringify(dataset.name)}</code>: each replay is an
          experiment, compared here item by item.
        </p>
      ) : (
        <>
          <ComparePicker datasetId={dataset.id} experiments={experiments} />
          <div className="table-wrap">
            <table className="table wrap-table">
              <caption className="visually-hidden">Experiments</caption>
              <thead>
                <tr>
                  <th scope="col">Experiment</th>
                  <th scope="col" className="col-optional">
                    Agent
                  </th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col" className="col-optional">
                    Created
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Compare</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {experiments.map((experiment) => (
                  <ExperimentRow key={experiment.id} experiment={experiment} datasetId={dataset.id} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function ExperimentRow(props: { experiment: Experiment; datasetId: string }) {
  const { experiment } = props;
  const agent = [experiment.agent, experiment.agentVersion].filter(Boolean).join(' · ') || '–';
  return (
    <tr>
      <td>
        <span className="experiment-name">{experiment.name}</span>
        <span className="cell-sub narrow-only">{agent}</span>
      </td>
      <td className="col-optional">
        <code>{agent}</code>
      </td>
      <td className="num">{formatCount(experiment.itemCount)}</td>
      <td className="col-optional nowrap" title={formatFullTime(experiment.createdAt)}>
        {formatDateTime(experiment.createdAt)}
      </td>
      <td>
        <a href={`#${comparisonRoute(props.datasetId, { candidate: experiment.id, base: null })}`}>
          Compare with source
        </a>
      </td>
    </tr>
  );
}

function Items(props: { items: DatasetItem[]; onRemove: ((item: DatasetItem) => void) | undefined }) {
  return (
    <section className="dataset-section" aria-labelledby="items-heading">
      <h2 id="items-heading">Items</h2>
      {props.items.length === 0 ? (
        <p className="muted">No items yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table fit-table">
            <caption className="visually-hidden">Items</caption>
            <thead>
              <tr>
                <th scope="col">First human turn</th>
                <th scope="col" className="num">
                  Turns
                </th>
                <th scope="col" className="col-optional">
                  Source conversation
                </th>
                <th scope="col" className="col-optional">
                  Added
                </th>
                {props.onRemove ? (
                  <th scope="col">
                    <span className="visually-hidden">Remove</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {props.items.map((item) => (
                <ItemRow key={item.id} item={item} onRemove={props.onRemove} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ItemRow(props: { item: DatasetItem; onRemove: ((item: DatasetItem) => void) | undefined }) {
  const { item } = props;
  const first = item.turns[0]?.human ?? '';
  const source = item.sourceConversationId;
  const link = source ? (
    <a href={`#${pathOf('conversations', source)}`} className="cell-clip" title={source}>
      {source}
    </a>
  ) : (
    <span className="muted">–</span>
  );
  return (
    <tr>
      <td className="cell-title">
        <span title={first}>{first ? truncate(first, 140) : <span className="untitled">No text</span>}</span>
        <span className="cell-sub narrow-only">
          {source ? <>from {link}</> : 'not from a stored conversation'}
        </span>
      </td>
      <td className="num">{item.turns.length}</td>
      <td className="col-optional">{link}</td>
      <td className="col-optional nowrap" title={formatFullTime(item.createdAt)}>
        {formatRelative(item.createdAt)}
      </td>
      {props.onRemove ? (
        <td className="cell-action">
          <button
            type="button"
            className="button button-quiet button-danger-quiet"
            aria-label={`Remove “${truncate(first || 'No text', 60)}”`}
            onClick={() => props.onRemove?.(item)}
          >
            Remove
          </button>
        </td>
      ) : null}
    </tr>
  );
}
