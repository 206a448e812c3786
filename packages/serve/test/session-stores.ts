/**
 * The three SessionStores the serve tests run against: memory, SQLite (a file per name) and PostgreSQL (a
 * fresh schema per test file, holding the collector's tables too, as `sightline start` shares them). The
 * PostgreSQL kind fails, never skips, when the test database is unreachable.
 */
import { join } from 'node:path';
import {
  closeSessionDatabases,
  type PostgresSessionStore,
  postgresSessions,
  type SessionStore,
  sqliteSessions,
} from '@sightline/agents';
import { createTestPostgresStore, testDatabaseUrl } from '@sightline/store/testing';
import { afterAll } from 'vitest';
import { memorySessions } from '../src/sessions/session-store.ts';

export interface StoreKind {
  name: 'memory' | 'SQLite' | 'PostgreSQL';
  /** Whether a store opened after `restart()` still has what the previous ones stored. */
  durable: boolean;
  /** A store; for the durable kinds, on the storage `name` (SQLite: a file) shared by every store opened. */
  open(name: string): Promise<SessionStore>;
  /** Drops every connection and handle the opened stores hold, as a process going away does. */
  restart(): Promise<void>;
}

/** A connection string whose connections use `schema` as their search_path. */
export function urlWithSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** The PostgreSQL kind: a fresh schema with the collector's tables migrated in, dropped after the file. */
export function postgresKind(): StoreKind & { url(): Promise<string> } {
  let schema: Promise<{ url: string; drop: () => Promise<void> }> | undefined;
  const opened: PostgresSessionStore[] = [];
  const url = async () => {
    schema ??= createTestPostgresStore().then(async (created) => {
      await created.store.close();
      return { url: urlWithSearchPath(testDatabaseUrl(), created.schema), drop: created.drop };
    });
    return (await schema).url;
  };
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    if (schema) await (await schema).drop();
  });
  return {
    name: 'PostgreSQL',
    durable: true,
    url,
    async open() {
      const store = postgresSessions(await url(), { poolConfig: { max: 4 } });
      opened.push(store);
      return store;
    },
    async restart() {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    },
  };
}

/** Memory, SQLite in `dir`, and PostgreSQL. */
export function storeKinds(dir: string): StoreKind[] {
  return [
    {
      name: 'memory',
      durable: false,
      open: async () => memorySessions(),
      restart: async () => undefined,
    },
    {
      name: 'SQLite',
      durable: true,
      open: async (name) => sqliteSessions(join(dir, `${name}.db`)),
      restart: async () => closeSessionDatabases(),
    },
    postgresKind(),
  ];
}
