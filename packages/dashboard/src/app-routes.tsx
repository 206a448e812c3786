/**
 * Which page a route shows. Heavier pages (charts) load on first visit so the conversations table,
 * the landing page, paints without waiting for the charting library.
 */
import { lazy, Suspense, useEffect } from 'react';
import { DEFAULT_SEGMENT } from './nav-items.ts';
import { ComparisonPage } from './pages/comparison-page.tsx';
import { ConversationPage } from './pages/conversation-page.tsx';
import { ConversationsPage } from './pages/conversations-page.tsx';
import { CustomersPage } from './pages/customers-page.tsx';
import { DatasetPage } from './pages/dataset-page.tsx';
import { DatasetsPage } from './pages/datasets-page.tsx';
import { IngestionPage } from './pages/ingestion-page.tsx';
import { LivePage } from './pages/live-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ReviewPage } from './pages/review-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { ToolsPage } from './pages/tools-page.tsx';
import { VersionsPage } from './pages/versions-page.tsx';
import { navigate, useLocation } from './router/hash-router.ts';

const ChatPage = lazy(() => import('./pages/chat-page.tsx').then((m) => ({ default: m.ChatPage })));
const WorkflowPage = lazy(() =>
  import('./pages/workflow-page.tsx').then((m) => ({ default: m.WorkflowPage })),
);
const OverviewPage = lazy(() =>
  import('./pages/overview-page.tsx').then((m) => ({ default: m.OverviewPage })),
);

export function AppRoutes() {
  const location = useLocation();
  const [section, id, sub] = location.segments;

  useEffect(() => {
    if (section === undefined) navigate(`/${DEFAULT_SEGMENT}`, { replace: true });
  }, [section]);

  switch (section) {
    case undefined:
      return null;
    case 'overview':
      return (
        <Suspense fallback={<p className="muted pad">Loading charts…</p>}>
          <OverviewPage />
        </Suspense>
      );
    case 'conversations':
      return id ? <ConversationPage key={id} id={id} /> : <ConversationsPage />;
    case 'review':
      return id ? <ConversationPage key={id} id={id} review /> : <ReviewPage />;
    case 'live':
      return <LivePage />;
    case 'chat':
      return (
        <Suspense fallback={<p className="muted pad">Loading chat…</p>}>
          {id === 'workflows' && sub ? (
            <WorkflowPage key={sub} workflow={sub} />
          ) : (
            <ChatPage key={id ?? ''} agent={id ?? null} />
          )}
        </Suspense>
      );
    case 'tools':
      return <ToolsPage tool={id ?? null} />;
    case 'versions':
      return <VersionsPage />;
    case 'datasets':
      if (!id) return <DatasetsPage />;
      if (sub === 'compare') return <ComparisonPage key={id} datasetId={id} />;
      return sub === undefined ? <DatasetPage key={id} datasetId={id} /> : <NotFoundPage />;
    case 'customers':
      return <CustomersPage />;
    case 'ingestion':
      return <IngestionPage />;
    case 'settings':
      return <SettingsPage />;
    case 'projects':
      return <SignInPage adding />;
    default:
      return <NotFoundPage />;
  }
}
