/** The project's settings: redaction rules and retention (edited with an admin key, read-only for other keys). */
import { loadProjectSettings } from '../api/project-settings-api.ts';
import { loadRetention } from '../api/retention-api.ts';
import { useApi } from '../api/use-api.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { RedactionSettings } from '../components/redaction-settings.tsx';
import { RetentionSettings } from '../components/retention-settings.tsx';
import { useClient, useSession } from '../session/session-context.tsx';

export function SettingsPage() {
  const client = useClient();
  const { project } = useSession();
  const { data, error, loading, reload } = useApi((c, signal) => loadProjectSettings(c, signal), []);
  const retention = useApi((c, signal) => loadRetention(c, signal), []);
  const canEdit = project?.scope === 'admin';
  return (
    <div className="page">
      <PageHeader
        title="Settings"
        subtitle="What the collector keeps of this project's data"
        actions={
          <button type="button" className="button" onClick={reload} disabled={loading}>
            {loading ? 'Loading…' : 'Refresh'}
          </button>
        }
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <section className="panel" aria-label="Redaction">
            <h2>Redaction</h2>
            <RedactionSettings settings={data} client={client} canEdit={canEdit} onSaved={reload} />
          </section>
          <section className="panel" aria-label="Retention">
            <h2>Retention</h2>
            {retention.error ? <ErrorBanner error={retention.error} onRetry={retention.reload} /> : null}
            {retention.data ? (
              <RetentionSettings
                key={JSON.stringify(retention.data.retentionDays)}
                status={retention.data}
                client={client}
                canEdit={canEdit}
                onSaved={() => {
                  retention.reload();
                  reload();
                }}
              />
            ) : null}
          </section>
        </>
      ) : null}
    </div>
  );
}
