/**
 * An experiment compared with its base (`#/datasets/<id>/compare?candidate=<experiment>&base=<experiment>`;
 * no base: the items' source conversations): the totals of each side with the change, then every item
 * with both answers side by side, changed ones marked; "Changed only" (`&changed=1`) hides the rest.
 */
import { compareExperiments, datasetDetail } from '../api/datasets-api.ts';
import type { ExperimentComparison } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { ComparePicker } from '../components/compare-picker.tsx';
import { ComparisonFigures, type SideLabel } from '../components/comparison-figures.tsx';
import { ComparisonItemView } from '../components/comparison-item.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { isChanged, summaryRows } from '../lib/comparison-rows.ts';
import { formatCount } from '../lib/format.ts';
import { navigate, pathOf, routeTo, useLocation } from '../router/hash-router.ts';
import '../components/datasets.css';

/** The comparison page of a dataset. */
export function ComparisonPage(props: { datasetId: string }) {
  const location = useLocation();
  const candidate = location.query.get('candidate');
  const base = location.query.get('base');
  const changedOnly = location.query.get('changed') === '1';
  const detail = useApi(
    (client, signal) => datasetDetail(client, props.datasetId, signal),
    [props.datasetId],
  );
  const comparison = useApi(
    (client, signal) =>
      candidate ? compareExperiments(client, { candidate, base }, signal) : Promise.resolve(null),
    [candidate, base],
  );
  const datasetHref = `#${pathOf('datasets', props.datasetId)}`;
  const experiments = detail.data?.experiments ?? [];
  return (
    <div className="page">
      <a className="back-link" href={datasetHref}>
        ← {detail.data?.dataset.name ?? comparison.data?.dataset.name ?? 'Dataset'}
      </a>
      {detail.error ? <ErrorBanner error={detail.error} onRetry={detail.reload} /> : null}
      {experiments.length > 0 ? (
        <ComparePicker
          key={location.href}
          datasetId={props.datasetId}
          experiments={experiments}
          current={candidate ? { candidate, base } : undefined}
        />
      ) : null}
      {!candidate ? (
        <EmptyState title="Pick an experiment to compare">
          Choose the candidate above (and a base: the source conversations or another experiment).
        </EmptyState>
      ) : null}
      {comparison.error ? <ErrorBanner error={comparison.error} onRetry={comparison.reload} /> : null}
      {comparison.data ? (
        <ComparisonView
          data={comparison.data}
          changedOnly={changedOnly}
          onChangedOnly={(on) =>
            navigate(routeTo(location.path, { candidate, base, changed: on ? '1' : undefined }), {
              replace: true,
            })
          }
        />
      ) : candidate && !comparison.error ? (
        <p className="muted pad" role="status">
          Comparing…
        </p>
      ) : null}
    </div>
  );
}

function ComparisonView(props: {
  data: ExperimentComparison;
  changedOnly: boolean;
  onChangedOnly(on: boolean): void;
}) {
  const { data } = props;
  const baseLabel: SideLabel = data.base
    ? { name: data.base.name, version: data.base.agentVersion }
    : { name: 'Source', version: null };
  const candidateLabel: SideLabel = { name: data.candidate.name, version: data.candidate.agentVersion };
  const numbered = data.items.map((item, i) => ({ item, index: i + 1 }));
  const shown = props.changedOnly ? numbered.filter(({ item }) => isChanged(item)) : numbered;
  return (
    <>
      <PageHeader
        title={`${data.candidate.name} vs ${data.base ? data.base.name : 'the source conversations'}`}
        subtitle={`${data.dataset.name} · ${formatCount(data.items.length)} items · ${formatCount(data.changedItems)} changed`}
      />
      <section className="dataset-section" aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <ComparisonFigures
          rows={summaryRows(data.summary)}
          base={baseLabel}
          candidate={candidateLabel}
          caption="Summary of both sides"
        />
      </section>
      <section className="dataset-section" aria-labelledby="items-heading">
        <div className="comparison-toolbar">
          <h2 id="items-heading">Items</h2>
          <label className="check-label">
            <input
              type="checkbox"
              checked={props.changedOnly}
              onChange={(event) => props.onChangedOnly(event.target.checked)}
            />
            Changed only
          </label>
          <span className="muted" role="status">
            Showing {formatCount(shown.length)} of {formatCount(data.items.length)}
          </span>
        </div>
        {shown.length === 0 ? (
          <EmptyState title={props.changedOnly ? 'No item changed' : 'No items'}>
            {props.changedOnly ? 'Every answer and tool call is the same on both sides.' : null}
          </EmptyState>
        ) : (
          <ol className="comparison-items">
            {shown.map(({ item, index }) => (
              <li key={item.itemId}>
                <ComparisonItemView item={item} index={index} base={baseLabel} candidate={candidateLabel} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
