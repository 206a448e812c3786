/**
 * Issue 11, "Integrity under hostile input": thousands of generated hostile requests against a real
 * `sightline start` (collector + served agents, workflow and MCP) on SQLite and on PostgreSQL. No answer
 * may be a 5xx, the server stays alive, nothing is half-written, every stored conversation reads back,
 * and RSS stays bounded. The figures of each run go to $TMPDIR/sightline-hostile-<dialect>.json.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPostgresStore, testDatabaseUrl } from '@sightline/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CampaignResult, type CampaignServer, runCampaign, startServer } from './campaign.ts';

const SEED = Number(process.env.SIGHTLINE_HOSTILE_SEED ?? 11);
const MIN_REQUESTS = 5_000;
// The idle server holds about 185 MB. Under this load V8 grows its heap lazily: peaks of 410-580 MB were
// seen (higher on a busy machine), while the same campaign under --max-old-space-size=128 peaks at 385 MB
// and never runs out of heap: no leak. 768 MB flags growth without bound, not GC timing.
const MAX_PEAK_RSS_MB = 768;

describe.each(['sqlite', 'postgres'] as const)('hostile input on %s', (dialect) => {
  let server: CampaignServer | undefined;
  let result: CampaignResult;
  let dropSchema: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    let env: Record<string, string> = {};
    if (dialect === 'postgres') {
      const pg = await createTestPostgresStore();
      await pg.store.close();
      env = {
        DATABASE_URL: `${testDatabaseUrl()}?options=${encodeURIComponent(`-c search_path=${pg.schema}`)}`,
      };
      dropSchema = pg.drop;
    }
    server = await startServer(env);
    result = await runCampaign(server, SEED);
    const { serverLog, ...figures } = result;
    writeFileSync(
      join(tmpdir(), `sightline-hostile-${dialect}.json`),
      JSON.stringify(
        { dialect, seed: SEED, peakRssMb: Math.round(figures.peakRssKb / 1024), ...figures, serverLog },
        null,
        2,
      ),
    );
  }, 420_000);

  afterAll(async () => {
    await server?.cli.stop();
    if (server) rmSync(server.dir, { recursive: true, force: true });
    await dropSchema();
  });

  it(`sends at least ${MIN_REQUESTS} requests covering every documented route and the served ones`, () => {
    expect(result.requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(result.documentedRoutes.length).toBeGreaterThan(8);
    const served = [
      'GET /agents',
      'GET /agents/{name}',
      'POST /agents/calculator/runs',
      'GET /agents/calculator/runs/{runId}',
      'GET /agents/calculator/runs/{runId}/stream',
      'POST /agents/calculator/runs/{runId}/cancel',
      'POST /agents/notes/runs/{paused}/approvals',
      'POST /v1/chat/completions',
      'GET /workflows',
      'POST /workflows/student_teacher/runs',
      'GET /workflows/runs/{id}',
      'GET /workflows/runs/{id}/events',
      'POST /workflows/runs/{waiting}/answers',
      'POST /workflows/runs/{id}/cancel',
      'POST /mcp',
    ];
    for (const route of [...result.documentedRoutes, ...served])
      expect(result.groups[route] ?? 0, route).toBeGreaterThan(0);
  });

  it('answers every request below 500', () => {
    const report = result.failures.map(
      (f) => `${f.status} ${f.method} ${f.path.slice(0, 160)} [${f.label.slice(0, 160)}]: ${f.body}`,
    );
    expect(report).toEqual([]);
    const hung = result.unanswered.filter((f) => f.body.startsWith('no answer'));
    expect(
      hung.map((f) => `${f.method} ${f.path.slice(0, 160)} [${f.label.slice(0, 160)}]: ${f.body}`),
    ).toEqual([]);
  });

  it('stays alive: /healthz after every 500 requests, /readyz at the end, the process running', () => {
    expect(result.health).toEqual([]);
    expect(result.alive).toBe(true);
  });

  it('answers hostile WebSocket traffic without a server error', () => {
    expect(result.webSocket.failures).toEqual([]);
    expect(result.webSocket.sent).toBeGreaterThan(20);
  });

  it('writes nothing by half: every conversation reads back whole, accepted events stored, refused ones not', () => {
    expect(result.readback.problems).toEqual([]);
    expect(result.readback.conversations).toBeGreaterThan(50);
    expect(result.readback.checked).toBeGreaterThan(1_000);
  });

  it(`keeps the server's peak RSS below ${MAX_PEAK_RSS_MB} MB`, () => {
    expect(result.rssSamples).toBeGreaterThan(10);
    expect(result.peakRssKb / 1024).toBeLessThan(MAX_PEAK_RSS_MB);
  });
});
