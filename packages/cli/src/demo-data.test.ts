import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from '@sightline/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoData } from './demo-data.ts';
import { startCli } from './spawn-cli.ts';

describe('demo data', () => {
  let store: Store;
  let projectId: string;
  const now = Date.parse('2026-03-12T15:00:00Z');

  beforeEach(async () => {
    store = createStore({ database: ':memory:' });
    await store.migrate();
    projectId = (await store.createProject({ name: 'demo' })).id;
  });
  afterEach(() => store.close());

  it('fills an empty project with a week of conversations: several customers, failing tools, feedback', async () => {
    const progress: number[] = [];
    const result = await seedDemoData(store, projectId, { now, onProgress: (done) => progress.push(done) });
    expect(result).toMatchObject({ seeded: true, conversations: 630 });
    expect(progress.at(-1)).toBe(630);
    const metrics = await store.getMetrics(projectId, { from: now - 7 * 86_400_000, to: now, bucket: 'day' });
    expect(metrics.totals.conversations).toBe(630);
    // 7 × 24 h from 15:00 touch 8 calendar days
    expect(metrics.series.filter((point) => point.conversations > 0)).toHaveLength(8);
    expect(metrics.totals.customers).toBeGreaterThanOrEqual(10);
    expect(metrics.tools.map((tool) => tool.name)).toContain('lookup_order');
    expect(metrics.tools.every((tool) => tool.errorRate < 0.3)).toBe(true);
    expect(metrics.tools.some((tool) => tool.errors > 0)).toBe(true);
    expect(metrics.totals.feedback.positive).toBeGreaterThan(0);
    expect(metrics.totals.feedback.negative).toBeGreaterThan(0);
    expect(metrics.models.map((m) => m.model).sort()).toEqual(['claude-sonnet-4-5', 'gpt-4o', 'gpt-4o-mini']);
    expect(metrics.totals.costUsd).toBeGreaterThan(0);
    const health = await store.getIngestionHealth(projectId);
    expect(health.clients.some((client) => client.droppedEvents > 0)).toBe(true);
    expect(health.rejectedByReason.length).toBeGreaterThan(0);
  });

  it('leaves a project that already has conversations alone', async () => {
    await seedDemoData(store, projectId, { now, days: 1, perDay: 5 });
    const again = await seedDemoData(store, projectId, { now, days: 1, perDay: 5 });
    expect(again).toEqual({ seeded: false, conversations: 0, events: 0 });
    const page = await store.listConversations(projectId, { limit: 50 });
    expect(page.data).toHaveLength(5);
  });
});

describe('sightline start --demo (real process)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-demo-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds a fresh database once, then starts as usual', async () => {
    const cli = await startCli({ cwd: dir, args: ['--demo'] });
    try {
      expect(cli.output()).toMatch(/Demo data: 630 conversations \(\d+ events\) over the last 7 days/);
      const { readKey } = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
      const page = await (
        await fetch(`${cli.url}/v1/conversations?limit=5`, {
          headers: { authorization: `Bearer ${readKey}` },
        })
      ).json();
      expect(page.data).toHaveLength(5);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
    const again = await startCli({ cwd: dir, args: ['--demo'] });
    try {
      expect(again.output()).toContain('Demo data: skipped, the project already has conversations');
    } finally {
      await again.stop();
    }
  });
});
