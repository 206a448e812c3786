/** Test fixture: a collector over a fresh store with two projects and their keys. */
import { newId } from '@sightline/core';
import { createStore, type KeyScope, type Store } from '@sightline/store';
import { createTestPostgresStore } from '@sightline/store/testing';
import { createSightlineApp, type SightlineApp, type SightlineAppOptions } from './app.ts';
import { createLogger } from './logger.ts';

export interface Fixture {
  store: Store;
  collector: SightlineApp;
  projectId: string;
  otherProjectId: string;
  ingestKey: string;
  readKey: string;
  chatKey: string;
  adminKey: string;
  otherIngestKey: string;
  otherReadKey: string;
  otherAdminKey: string;
  request(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Builds a collector on SQLite in memory (default) or on PostgreSQL in a schema of its own. */
export async function createFixture(
  options: { dialect?: 'sqlite' | 'postgres' } & Partial<SightlineAppOptions> = {},
): Promise<Fixture> {
  const { dialect = 'sqlite', ...appOptions } = options;
  let store: Store;
  let drop: () => Promise<void>;
  if (dialect === 'postgres') {
    const pg = await createTestPostgresStore();
    store = pg.store;
    drop = pg.drop;
  } else {
    store = createStore({ database: ':memory:' });
    await store.migrate();
    drop = () => store.close();
  }
  const project = await store.createProject({ name: 'main' });
  const other = await store.createProject({ name: 'other' });
  const key = async (projectId: string, scope: KeyScope) =>
    (await store.createApiKey({ projectId, scope })).key;
  const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }), ...appOptions });
  const fixture: Fixture = {
    store,
    collector,
    projectId: project.id,
    otherProjectId: other.id,
    ingestKey: await key(project.id, 'ingest'),
    readKey: await key(project.id, 'read'),
    chatKey: await key(project.id, 'chat'),
    adminKey: await key(project.id, 'admin'),
    otherIngestKey: await key(other.id, 'ingest'),
    otherReadKey: await key(other.id, 'read'),
    otherAdminKey: await key(other.id, 'admin'),
    request: (path, init = {}) => {
      const { key: apiKey, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (apiKey) headers.set('authorization', `Bearer ${apiKey}`);
      return Promise.resolve(collector.app.request(path, { ...rest, headers }));
    },
    close: async () => {
      await collector.shutdown();
      await drop();
    },
  };
  return fixture;
}

/** A minimal valid message event. */
export function message(conversationId: string, content: string, extra: Record<string, unknown> = {}) {
  return {
    id: newId(),
    type: 'message',
    timestamp: new Date().toISOString(),
    body: { conversationId, role: 'human', content, ...extra },
  };
}

/** POSTs JSON to /v1/ingest. */
export function postEvents(fixture: Fixture, events: unknown[], key = fixture.ingestKey): Promise<Response> {
  return fixture.request('/v1/ingest', {
    method: 'POST',
    key,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
}
