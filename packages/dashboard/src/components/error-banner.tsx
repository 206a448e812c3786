import type { ApiError } from '../api/api-error.ts';

/** An API error as the user reads it: the message, each named field, and a retry button. */
export function ErrorBanner(props: { error: ApiError; onRetry?: () => void }) {
  const { error } = props;
  return (
    <div className="banner banner-error" role="alert">
      <div>
        <strong>
          {error.status === 0 ? 'Cannot reach the collector.' : `Request failed (${error.code}).`}
        </strong>{' '}
        {error.message}
        {error.issues.length > 0 ? (
          <ul>
            {error.issues.map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                <code>{issue.path}</code>: {issue.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {props.onRetry ? (
        <button type="button" className="button" onClick={props.onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
