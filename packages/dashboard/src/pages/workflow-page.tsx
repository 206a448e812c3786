import { useState } from 'react';
import type { ApiError } from '../api/api-error.ts';
import { useApi } from '../api/use-api.ts';
import { keyRefusal, listingOf } from '../chat/served-catalog.ts';
import { listWorkflows, startWorkflowRun } from '../chat/workflows-client.ts';
import { ChatKeyNotice } from '../components/chat-key-notice.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { WorkflowParamsForm } from '../components/workflow-params-form.tsx';
import { WorkflowView } from '../components/workflow-view.tsx';
import { navigate, pathOf, routeTo, useLocation } from '../router/hash-router.ts';
import { useClient, useSession } from '../session/session-context.tsx';

/**
 * A served workflow (`#/chat/workflows/<name>`): its parameters and Start, then the run as a
 * conversation at `?run=<runId>`, so a reload (in this tab) resumes it where the stream left off.
 */
export function WorkflowPage(props: { workflow: string }) {
  const client = useClient();
  const { project } = useSession();
  const location = useLocation();
  const runId = location.query.get('run');
  const { data, error, reload } = useApi(
    (api, signal) => listingOf(() => listWorkflows(api.key, signal)),
    [],
  );
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const path = pathOf('chat', 'workflows', props.workflow);
  const info = data?.status === 'served' ? data.items.find((w) => w.name === props.workflow) : undefined;
  const refused = keyRefusal(data);

  const start = (params: Record<string, unknown>) => {
    setStarting(true);
    setStartError(null);
    startWorkflowRun(client.key, props.workflow, params).then(
      (started) => {
        setStarting(false);
        navigate(routeTo(path, { run: started.runId }));
      },
      (failure: ApiError) => {
        setStarting(false);
        setStartError(failure);
      },
    );
  };

  return (
    <div className="page">
      <PageHeader
        title={`Workflow · ${props.workflow}`}
        subtitle={info?.description || 'A workflow this server serves'}
        actions={
          <a className="button button-link" href="#/chat">
            All agents &amp; workflows
          </a>
        }
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {refused ? <ChatKeyNotice error={refused} scope={project?.scope} /> : null}
      {data?.status === 'error' && !refused ? <ErrorBanner error={data.error} onRetry={reload} /> : null}
      {data?.status === 'not-served' || (data?.status === 'served' && !info && !runId) ? (
        <EmptyState title={`No workflow named ${props.workflow} is served here`}>
          <a href="#/chat">See what is served</a>
        </EmptyState>
      ) : null}
      {refused ? null : runId ? (
        <WorkflowView
          key={runId}
          workflow={props.workflow}
          runId={runId}
          apiKey={client.key}
          onRunAgain={() => navigate(path)}
        />
      ) : info ? (
        <>
          {startError ? <ErrorBanner error={startError} /> : null}
          <WorkflowParamsForm schema={info.params} busy={starting} onStart={start} />
        </>
      ) : null}
    </div>
  );
}
