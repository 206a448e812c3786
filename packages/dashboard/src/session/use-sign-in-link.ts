/**
 * Signs in with a `#key=` link: the one the page was loaded with (taken out of the address by main.tsx
 * before the first render), and any pasted later into the address bar of a tab already on the
 * dashboard, which changes only the hash: no reload, just a `hashchange`.
 */
import { useEffect, useState } from 'react';
import { useSession } from './session-context.tsx';
import { takeKeyFromHash } from './stored-session.ts';

export function useSignInLink(initialKey: string | null): { pending: boolean; error: string | null } {
  const { signIn } = useSession();
  const [link, setLink] = useState<{ key: string } | null>(initialKey === null ? null : { key: initialKey });
  const [pending, setPending] = useState(initialKey !== null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const onHashChange = () => {
      const key = takeKeyFromHash();
      if (key === null) return;
      setError(null);
      setPending(true);
      setLink({ key });
      // The address now holds the route the link named: let the router read it.
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    if (!link) return;
    let current = true;
    signIn(link.key)
      .catch((failure: Error) => {
        if (current) setError(`The sign-in link did not work: ${failure.message}`);
      })
      .finally(() => {
        if (current) setPending(false);
      });
    return () => {
      current = false;
    };
  }, [link, signIn]);

  return { pending, error };
}
