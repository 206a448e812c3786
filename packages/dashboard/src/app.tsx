import { useEffect, useState } from 'react';
import { AppRoutes } from './app-routes.tsx';
import { Layout } from './components/layout.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { useSession } from './session/session-context.tsx';

/**
 * The gate: nothing but the sign-in page shows without a read key. A `#key=` link (printed by
 * `sightline start`) signs in on load.
 */
export function App(props: { linkKey: string | null }) {
  const session = useSession();
  const [pending, setPending] = useState(props.linkKey !== null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const { signIn } = session;

  useEffect(() => {
    if (!props.linkKey) return;
    signIn(props.linkKey)
      .catch((error: Error) => setLinkError(`The sign-in link did not work: ${error.message}`))
      .finally(() => setPending(false));
  }, [props.linkKey, signIn]);

  if (pending)
    return (
      <div className="sign-in">
        <p className="muted" role="status">
          Signing in…
        </p>
      </div>
    );
  if (!session.client) return <SignInPage error={linkError} />;
  return (
    <Layout>
      <AppRoutes />
    </Layout>
  );
}
