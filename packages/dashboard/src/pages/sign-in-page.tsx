import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import { navigate } from '../router/hash-router.ts';
import { useSession } from '../session/session-context.tsx';
import { keyFormatProblem } from '../session/stored-session.ts';

/**
 * Sign-in with a project's read key (reads) or admin key (reads, chats, manages). `adding` is the same
 * form inside the app, to hold a key for another project (the project switcher lists them).
 */
export function SignInPage(props: { adding?: boolean; error?: string | null }) {
  const session = useSession();
  const inputId = useId();
  const hintId = useId();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(props.error ?? session.notice);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = keyFormatProblem(key);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await session.signIn(key);
      navigate('/conversations');
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'The collector does not know this key (unknown or revoked).'
          : (failure as Error).message,
      );
      setBusy(false);
    }
  };

  return (
    <div className={props.adding ? 'sign-in sign-in-inline' : 'sign-in'}>
      <form className="sign-in-card" onSubmit={submit} noValidate>
        {props.adding ? null : (
          <div className="brand brand-large">
            <span className="brand-mark" aria-hidden="true" />
            Sightline
          </div>
        )}
        <h1>{props.adding ? 'Add a project' : 'Sign in'}</h1>
        <p className="muted">
          Enter a project’s <strong>read key</strong> (it reads) or <strong>admin key</strong> (it also chats
          with the served agents and manages). <code>sightline start</code> prints a Dashboard link that signs
          you in to the local project with its admin key, and a read-only link to share;{' '}
          <code>sightline keys create --scope read</code> makes a new key.
        </p>
        <label htmlFor={inputId}>Read or admin key</label>
        <input
          id={inputId}
          className="input input-wide"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="sl_read_… or sl_admin_…"
          value={key}
          aria-describedby={hintId}
          aria-invalid={error ? true : undefined}
          onChange={(event) => setKey(event.target.value)}
          // biome-ignore lint/a11y/noAutofocus: the only field of the page
          autoFocus
        />
        <p id={hintId} className={error ? 'field-error' : 'muted small'} role={error ? 'alert' : undefined}>
          {error ?? 'The key stays in this browser (local storage) and is sent only to this collector.'}
        </p>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Checking…' : props.adding ? 'Add project' : 'Sign in'}
          </button>
          {props.adding ? (
            <button type="button" className="button" onClick={() => window.history.back()}>
              Cancel
            </button>
          ) : null}
        </div>
      </form>
    </div>
  );
}
