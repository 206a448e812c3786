import { createLogger, createSightlineApp, listen } from '@sightline/server';
import { createStore } from '@sightline/store';

/** A real Sightline collector on an in-memory SQLite store, with a project and its two keys. */
export interface LocalCollector {
  url: string;
  ingestKey: string;
  readKey: string;
  /** GET a read-API path (e.g. `/v1/conversations/web-chat-123`) with the read key. */
  read<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

/** Starts the collector the example reports to (what `sightline start` runs, minus the dashboard). */
export async function startLocalCollector(): Promise<LocalCollector> {
  const store = createStore({ database: ':memory:' });
  await store.migrate();
  const project = await store.createProject({ name: 'literal-style-threads' });
  const ingestKey = (await store.createApiKey({ projectId: project.id, scope: 'ingest' })).key;
  const readKey = (await store.createApiKey({ projectId: project.id, scope: 'read' })).key;
  const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
  const running = await listen({ collector, port: 0, onClose: () => store.close() });
  return {
    url: running.url,
    ingestKey,
    readKey,
    read: async <T>(path: string) => {
      const response = await fetch(`${running.url}${path}`, {
        headers: { authorization: `Bearer ${readKey}` },
      });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    close: () => running.close(),
  };
}
