/**
 * Issue 14 acceptance (redaction): a seeded corpus of 10,000 messages with planted secrets of every
 * built-in kind (e-mail, phone, card, IBAN, API key; several written forms each), also in conversation
 * names, metadata and tags, tool inputs, outputs and errors, and feedback comments, is sent through
 * POST /v1/ingest, OTLP/JSON and an in-process tracker, on SQLite and PostgreSQL; then every text
 * column of every table is read with SQL and no planted secret may appear in any of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDACTION_DETECTORS } from '@sightline/core';
import { createStore, type Store } from '@sightline/store';
import { createTestPostgresStore } from '@sightline/store/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSightlineApp, type SightlineApp } from './app.ts';
import { createLogger } from './logger.ts';
import {
  type CorpusPlan,
  ingestEvents,
  otlpExports,
  planCorpus,
  trackInProcess,
} from './redaction/corpus-paths.ts';
import { type Query, readStoredText, sqlQuery } from './redaction/stored-text.ts';

const CONVERSATIONS = 250;
const TURNS = 20; // 250 x 20 turns x 2 = 10,000 messages per path

interface Env {
  store: Store;
  collector: SightlineApp;
  query: Query;
  close(): Promise<void>;
}

async function openEnv(dialect: 'sqlite' | 'postgres'): Promise<Env> {
  let store: Store;
  let query: Query;
  let close: () => Promise<void>;
  if (dialect === 'postgres') {
    const pg = await createTestPostgresStore();
    store = pg.store;
    query = sqlQuery({ pool: pg.pool });
    close = pg.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'sl-redaction-'));
    const file = join(dir, 'corpus.db');
    store = createStore({ sqlite: { file, durability: 'normal' } });
    await store.migrate();
    const sqlite = new Database(file, { readonly: true });
    query = sqlQuery({ sqlite });
    close = async () => {
      sqlite.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
  return {
    store,
    collector,
    query,
    close: async () => {
      await collector.shutdown();
      await close();
    },
  };
}

/** A project with every built-in detector on (set through the API with an admin key), and its ingest key. */
async function redactingProject(env: Env, name: string) {
  const project = await env.store.createProject({ name });
  const admin = (await env.store.createApiKey({ projectId: project.id, scope: 'admin' })).key;
  const ingestKey = (await env.store.createApiKey({ projectId: project.id, scope: 'ingest' })).key;
  const response = await env.collector.app.request('/v1/project/settings', {
    method: 'PATCH',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ redaction: { detectors: [...REDACTION_DETECTORS] } }),
  });
  expect(response.status).toBe(200);
  return { projectId: project.id, ingestKey };
}

/** Reads the project back with SQL: 10,000 messages stored, and no planted secret in any text column. */
async function expectNoSecretStored(env: Env, projectId: string, plan: CorpusPlan) {
  const stored = await readStoredText(env.query, projectId);
  const [{ count }] = (await env.query(
    'select count(*) as count from messages where project_id = $1',
    projectId,
  )) as [{ count: number | string }];
  expect(Number(count)).toBe(CONVERSATIONS * TURNS * 2);
  expect(stored.byConversation.size).toBe(CONVERSATIONS);
  const leaks: string[] = [];
  let secrets = 0;
  for (const conversation of plan) {
    const text = stored.byConversation.get(conversation.id) ?? '';
    for (const secret of conversation.secrets) {
      secrets += 1;
      if (text.includes(secret.text) || stored.unattached.includes(secret.text))
        leaks.push(`${secret.kind}: ${secret.text}`);
    }
  }
  expect(leaks.slice(0, 20)).toEqual([]);
  const health = await env.store.getIngestionHealth(projectId);
  const counters = Object.fromEntries(health.counters.map((c) => [c.name, c.count]));
  for (const kind of REDACTION_DETECTORS) expect(counters[`redacted:${kind}`], kind).toBeGreaterThan(0);
  return { secrets, rows: stored.rows, counters };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`redaction acceptance corpus (${dialect})`, () => {
    let env: Env;
    beforeAll(async () => {
      env = await openEnv(dialect);
    });
    afterAll(async () => {
      await env?.close();
    });

    it('POST /v1/ingest: no planted secret is stored in any column', async () => {
      const { projectId, ingestKey } = await redactingProject(env, 'ingest');
      const plan = planCorpus(1, CONVERSATIONS, TURNS);
      const events = ingestEvents(plan);
      for (let i = 0; i < events.length; i += 1_000) {
        const response = await env.collector.app.request('/v1/ingest', {
          method: 'POST',
          headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: events.slice(i, i + 1_000) }),
        });
        expect(response.status).toBe(200);
      }
      await expectNoSecretStored(env, projectId, plan);
    }, 60_000);

    it('OTLP/JSON: no planted secret is stored in any column', async () => {
      const { projectId, ingestKey } = await redactingProject(env, 'otlp');
      const plan = planCorpus(2, CONVERSATIONS, TURNS);
      for (const body of otlpExports(plan)) {
        const response = await env.collector.app.request('/v1/otlp/v1/traces', {
          method: 'POST',
          headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({});
      }
      await expectNoSecretStored(env, projectId, plan);
    }, 60_000);

    it('in-process tracker: no planted secret is stored in any column', async () => {
      const { projectId, ingestKey } = await redactingProject(env, 'tracker');
      const plan = planCorpus(3, CONVERSATIONS, TURNS);
      await trackInProcess(env.collector, ingestKey, plan);
      await expectNoSecretStored(env, projectId, plan);
    }, 60_000);
  });
}
