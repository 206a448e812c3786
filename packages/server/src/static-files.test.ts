import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from '@sightline/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSightlineApp, type SightlineApp } from './app.ts';
import { createLogger } from './logger.ts';

let dir: string;
let store: Store;
let collector: SightlineApp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sightline-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dashboard</title>');
  store = createStore({ database: ':memory:' });
  await store.migrate();
  collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }), dashboardDir: dir });
});

afterAll(async () => {
  await collector.shutdown();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard files', () => {
  it('answers page navigations with the app, and JSON clients of unserved routes with a JSON 404', async () => {
    const page = await collector.app.request('/chat/anything', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>dashboard</title>');
    const api = await collector.app.request('/agents', { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect((await api.json()).error.message).toContain('GET /agents');
  });
});
