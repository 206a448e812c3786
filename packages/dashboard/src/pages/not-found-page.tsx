import { EmptyState } from '../components/empty-state.tsx';

export function NotFoundPage() {
  return (
    <div className="page">
      <EmptyState title="No such page">
        <a href="#/conversations">Go to conversations</a>
      </EmptyState>
    </div>
  );
}
