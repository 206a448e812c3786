/**
 * Loads data from the collector for a view: keeps the previous answer on screen while the next one
 * loads (so filtering does not flash), cancels stale requests, and ends the session on a 401.
 */
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../session/session-context.tsx';
import { ApiError } from './api-error.ts';
import type { ApiClient } from './client.ts';

export interface ApiState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

export function useApi<T>(
  load: (client: ApiClient, signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): ApiState<T> {
  const { client, expire } = useSession();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  useEffect(() => {
    if (!client) return;
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(client, controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        const failure =
          reason instanceof ApiError
            ? reason
            : new ApiError({
                status: 0,
                code: 'client',
                message: String((reason as Error)?.message ?? reason),
              });
        if (failure.isAuth) expire(`The collector refused the key: ${failure.message}`);
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [client, tick, ...deps]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
