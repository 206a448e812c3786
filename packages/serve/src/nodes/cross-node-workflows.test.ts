/**
 * Workflow runs across serving nodes and restarts: a question asked on node A is answered on node B (whose
 * readers follow the run), a run is cancelled from B, a run whose node went silent is interrupted (with
 * what it said), and after a restart on SQLite a finished or interrupted run is read, never not_found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSessionDatabases, sqliteRuns } from '@sightline/agents';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bearerUser } from '../../test/fixtures.ts';
import { failing, waiting } from '../../test/sample-workflows.ts';
import { SseReader } from '../../test/sse-reader.ts';
import { type TestCluster, testCluster } from '../../test/two-nodes.ts';
import { serveWorkflows, type WorkflowsRouter } from '../workflows/workflow-routes.ts';
import { type ServeNode, serveNode } from './serve-node.ts';

const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };
const dir = mkdtempSync(join(tmpdir(), 'sl-workflow-nodes-'));
let cluster: TestCluster | undefined;
const routers: WorkflowsRouter[] = [];

function router(node: ServeNode): WorkflowsRouter {
  const served = serveWorkflows({
    workflows: [waiting, failing],
    node,
    getUser: bearerUser,
    tracker: false,
    onError: () => undefined,
  });
  routers.push(served);
  return served;
}

afterEach(async () => {
  await Promise.all(routers.splice(0).map((served) => served.close()));
  await cluster?.close();
  cluster = undefined;
});
afterAll(() => {
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
});

async function start(app: WorkflowsRouter, name: string): Promise<string> {
  const response = await app.request(`/workflows/${name}/runs`, {
    method: 'POST',
    headers: alice,
    body: '{}',
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { runId: string }).runId;
}

const post = (app: WorkflowsRouter, path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: alice, body: JSON.stringify(body) });

describe('workflow runs across nodes', () => {
  it('answers on node B a question asked on node A, while B follows the run', async () => {
    cluster = testCluster();
    const a = router(cluster.node());
    const b = router(cluster.node());
    const runId = await start(a, 'waiting');
    const events = new SseReader(await b.request(`/workflows/runs/${runId}/events`, { headers: alice }));
    await events.expect('started');
    const ask = await events.expect('ask');
    const status = await (await b.request(`/workflows/runs/${runId}`, { headers: alice })).json();
    expect(status).toMatchObject({ status: 'running', questions: [ask.data.questionId] });
    const wrong = await post(b, `/workflows/runs/${runId}/answers`, { questionId: 'nope', answer: 'x' });
    expect(wrong.status).toBe(400);
    const answered = await post(b, `/workflows/runs/${runId}/answers`, {
      questionId: ask.data.questionId,
      answer: 'hi',
    });
    expect(await answered.json()).toMatchObject({ accepted: true });
    await events.expect('answered');
    expect((await events.expect('completed')).data.result).toBe('you said hi');
    expect(await events.next()).toBeUndefined();
    const bob = await b.request(`/workflows/runs/${runId}`, {
      headers: { authorization: 'Bearer bob-token' },
    });
    expect(bob.status).toBe(404);
  });

  it('cancels from node B a run of node A', async () => {
    cluster = testCluster();
    const a = router(cluster.node());
    const b = router(cluster.node());
    const runId = await start(a, 'waiting');
    const cancelled = await post(b, `/workflows/runs/${runId}/cancel`, {});
    expect(await cancelled.json()).toEqual({ runId, status: 'cancelled' });
    const local = await (await a.request(`/workflows/runs/${runId}`, { headers: alice })).json();
    expect(local.status).toBe('cancelled');
  });

  it('interrupts the run of a silent node: readers get what it said, then an interrupted event', async () => {
    cluster = testCluster();
    const silent = router(cluster.node({ silent: true }));
    const b = router(cluster.node());
    const runId = await start(silent, 'waiting');
    const events = new SseReader(await b.request(`/workflows/runs/${runId}/events`, { headers: alice }));
    await events.expect('started');
    await events.expect('ask');
    expect((await events.expect('interrupted')).data.reason).toMatch(/stopped/);
    expect(await events.next()).toBeUndefined();
    const status = await (await b.request(`/workflows/runs/${runId}`, { headers: alice })).json();
    expect(status).toMatchObject({ status: 'interrupted', questions: [] });
    const answer = await post(b, `/workflows/runs/${runId}/answers`, { questionId: 'q', answer: 'x' });
    expect(answer.status).toBe(409);
  });
});

describe('workflow runs after a restart (SQLite, no bus)', () => {
  it('reads a finished run, and an unfinished one as interrupted with what it had said', async () => {
    const file = join(dir, 'sessions.db');
    // The first process: heartbeats once, then "dies" (never closed, never heard from again).
    const before = serveNode({ runs: sqliteRuns(file), heartbeatMs: 3_600_000 });
    const first = router(before);
    const finished = await start(first, 'failing');
    const unfinished = await start(first, 'waiting');
    await before.flush();
    const after = serveNode({ runs: sqliteRuns(file), deadAfterMs: 200 });
    const second = router(after);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const done = await (await second.request(`/workflows/runs/${finished}`, { headers: alice })).json();
    expect(done).toMatchObject({ runId: finished, workflow: 'failing', status: 'failed' });
    const types = async (runId: string) =>
      (
        await new SseReader(
          await second.request(`/workflows/runs/${runId}/events`, { headers: alice }),
        ).rest()
      ).map((event) => event.event);
    expect(await types(finished)).toEqual(['started', 'message', 'error']);
    expect(await types(unfinished)).toEqual(['started', 'ask', 'interrupted']);
    const status = await (await second.request(`/workflows/runs/${unfinished}`, { headers: alice })).json();
    expect(status.status).toBe('interrupted');
    // The routers first: closing cancels the first process's run, whose record its node still writes.
    await Promise.all(routers.splice(0).map((served) => served.close()));
    await after.close();
    await before.close();
  });
});
