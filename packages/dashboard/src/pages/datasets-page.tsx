/**
 * Datasets (issue 15 item 4): curated conversations to replay against a new agent version. The list,
 * newest first, with each dataset's items, experiments and last change; a row opens the dataset.
 */
import { listDatasets } from '../api/datasets-api.ts';
import { useApi } from '../api/use-api.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { onRowKeyDown } from '../components/row-keys.ts';
import { formatCount, formatFullTime, formatRelative } from '../lib/format.ts';
import { navigate, pathOf } from '../router/hash-router.ts';
import '../components/datasets.css';

/** The datasets list. */
export function DatasetsPage() {
  const { data, error, loading, reload } = useApi((client, signal) => listDatasets(client, signal), []);
  const rows = data ?? [];
  const open = (id: string) => navigate(pathOf('datasets', id));
  return (
    <div className="page">
      <PageHeader
        title="Datasets"
        subtitle="Conversations kept to replay against a new agent version, newest first"
        actions={
          <button type="button" className="button" onClick={reload} disabled={loading}>
            {loading ? 'Loading…' : 'Refresh'}
          </button>
        }
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && rows.length === 0 ? (
        <EmptyState title="No datasets yet">
          With an admin key, <strong>Add to dataset</strong> on a conversation's page, or{' '}
          <strong>Add filtered to dataset</strong> on the conversations list; or{' '}
          <code>sightline dataset create</code>.
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <div className={`table-wrap${loading ? ' is-busy' : ''}`}>
          <table className="table fit-table">
            <caption className="visually-hidden">Datasets</caption>
            <thead>
              <tr>
                <th scope="col">Dataset</th>
                <th scope="col" className="num">
                  Items
                </th>
                <th scope="col" className="num">
                  Experiments
                </th>
                <th scope="col" className="col-optional">
                  Updated
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.id}
                  tabIndex={0}
                  className="clickable-row"
                  aria-label={`Dataset ${row.name}`}
                  onClick={(event) => {
                    if ((event.target as HTMLElement).closest('a,button')) return;
                    open(row.id);
                  }}
                  onKeyDown={(event) => onRowKeyDown(event, () => open(row.id))}
                >
                  <td className="cell-title">
                    <a
                      href={`#${pathOf('datasets', row.id)}`}
                      tabIndex={-1}
                      className="row-link"
                      title={row.name}
                    >
                      {row.name}
                    </a>
                    {row.description ? (
                      <span className="cell-sub" title={row.description}>
                        {row.description}
                      </span>
                    ) : null}
                    <span className="cell-sub narrow-only">updated {formatRelative(row.updatedAt)}</span>
                  </td>
                  <td className="num">{formatCount(row.itemCount)}</td>
                  <td className="num">{formatCount(row.experimentCount)}</td>
                  <td className="col-optional nowrap" title={formatFullTime(row.updatedAt)}>
                    {formatRelative(row.updatedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
