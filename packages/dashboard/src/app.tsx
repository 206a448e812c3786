import { AppRoutes } from './app-routes.tsx';
import { Layout } from './components/layout.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { useSession } from './session/session-context.tsx';
import { useSignInLink } from './session/use-sign-in-link.ts';

/**
 * The gate: nothing but the sign-in page shows without a read or admin key. A `#key=` link (printed by
 * `sightline start`) signs in, on load or pasted into a tab already open.
 */
export function App(props: { linkKey: string | null }) {
  const session = useSession();
  const link = useSignInLink(props.linkKey);

  if (link.pending)
    return (
      <div className="sign-in">
        <p className="muted" role="status">
          Signing in…
        </p>
      </div>
    );
  if (!session.client) return <SignInPage error={link.error} />;
  return (
    <Layout>
      {link.error ? (
        <p className="field-error pad" role="alert">
          {link.error}
        </p>
      ) : null}
      <AppRoutes />
    </Layout>
  );
}
