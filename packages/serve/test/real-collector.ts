/**
 * The real collector (`@sightline/server` on an in-memory `@sightline/store`) listening on a free port,
 * a real tracker sending to it, and reads through its query API: what the dashboard shows is what the
 * tests check. The demo model is priced at $1 per input token and $2 per output token, so costs are
 * exact sums of the runs' usage.
 */
import { DEMO_MODEL_NAME } from '@sightline/agents';
import type { ConversationDetail, CustomerSummary } from '@sightline/core';
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import { createTracker, type Tracker } from '@sightline/tracker';

/** USD per input and per output token of the demo model in these tests. */
export const DEMO_PRICE = { input: 1, output: 2 };

export interface RealCollector {
  tracker: Tracker;
  /** The conversation as the dashboard reads it, or undefined when it does not exist. */
  conversation(id: string): Promise<ConversationDetail | undefined>;
  /** Every customer with usage and cost (customers API). */
  customers(): Promise<CustomerSummary[]>;
  /** A GET of the query API with the read key (`/v1/metrics/versions?...`). */
  read(path: string): Promise<Response>;
  close(): Promise<void>;
}

/** Starts a collector and a tracker sending to it; `database`: a SQLite file to read back (default in memory). */
export async function startRealCollector(options: { database?: string } = {}): Promise<RealCollector> {
  const store: Store = createStore({
    database: options.database ?? ':memory:',
    prices: [
      {
        model: DEMO_MODEL_NAME,
        inputPerMillion: DEMO_PRICE.input * 1e6,
        outputPerMillion: DEMO_PRICE.output * 1e6,
      },
    ],
  });
  await store.migrate();
  const project = await store.createProject({ name: 'serve' });
  const ingestKey = (await store.createApiKey({ projectId: project.id, scope: 'ingest' })).key;
  const readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
  const server: RunningServer = await listen({ collector, port: 0 });
  const tracker = createTracker({ endpoint: server.url, apiKey: ingestKey, exitHooks: false });
  const read = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${readKey}` } });
  return {
    tracker,
    read,
    async conversation(id) {
      const response = await read(`/v1/conversations/${encodeURIComponent(id)}`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`conversation ${id}: ${response.status} ${await response.text()}`);
      return (await response.json()) as ConversationDetail;
    },
    async customers() {
      const response = await read('/v1/customers?limit=200');
      if (!response.ok) throw new Error(`customers: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { data: CustomerSummary[] }).data;
    },
    async close() {
      await tracker.shutdown();
      await server.close();
      await store.close();
    },
  };
}
