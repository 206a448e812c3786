/**
 * What the served routes offer, for the Chat page: agents (`GET /agents`) and workflows
 * (`GET /workflows`), each either listed, not served on this server (404), or refused. A refusal is shown
 * where the list would be; it does not end the dashboard session (the collector may still accept the key).
 */
import { ApiError } from '../api/api-error.ts';
import { type AgentInfo, listAgents } from './agents-client.ts';
import { listWorkflows, type WorkflowInfo } from './workflows-client.ts';

export type Listing<T> =
  | { status: 'served'; items: T[] }
  | { status: 'not-served' }
  | { status: 'error'; error: ApiError };

/** Runs a list request, sorting its outcome into served / not served / error (aborts are rethrown). */
export async function listingOf<T>(load: () => Promise<T[]>): Promise<Listing<T>> {
  try {
    return { status: 'served', items: await load() };
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    if (error instanceof ApiError && error.status === 404) return { status: 'not-served' };
    return {
      status: 'error',
      error:
        error instanceof ApiError
          ? error
          : new ApiError({
              status: 0,
              code: 'network',
              message: 'The server did not answer (network error).',
            }),
    };
  }
}

/** Both lists, fetched at once. */
export async function loadServedCatalog(
  key: string,
  signal: AbortSignal,
): Promise<{ agents: Listing<AgentInfo>; workflows: Listing<WorkflowInfo> }> {
  const [agents, workflows] = await Promise.all([
    listingOf(() => listAgents(key, signal)),
    listingOf(() => listWorkflows(key, signal)),
  ]);
  return { agents, workflows };
}

/** The served routes' refusal of this key (403: e.g. a read key, where they need a chat or admin key), if any. */
export function keyRefusal(...listings: Array<Listing<unknown> | null | undefined>): ApiError | null {
  for (const listing of listings)
    if (listing?.status === 'error' && listing.error.status === 403) return listing.error;
  return null;
}
