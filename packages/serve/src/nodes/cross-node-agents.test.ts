/**
 * Agent runs across serving nodes (in-process nodes on one run store and bus hub): a stream cut on one node
 * resumes on another with every frame once, a run is cancelled and read from another node, and the readers
 * of a run whose node went silent get a terminal error within the heartbeat timeout.
 */
import { memoryRuns } from '@sightline/agents';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerUser, calculatorAgent, chunksOf, parseSse } from '../../test/fixtures.ts';
import { SseReader } from '../../test/sse-reader.ts';
import { type TestCluster, testCluster } from '../../test/two-nodes.ts';
import { type AgentsRouter, serveAgents } from '../agents/agent-routes.ts';
import type { ServeNode } from './serve-node.ts';

const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };
let cluster: TestCluster;
const routers: AgentsRouter[] = [];

function router(node: ServeNode, latencyMs = 0): AgentsRouter {
  const served = serveAgents({
    agents: [calculatorAgent({ latencyMs })],
    sessions: cluster.sessions,
    node,
    getUser: bearerUser,
    tracker: false,
  });
  routers.push(served);
  return served;
}

afterEach(async () => {
  await Promise.all(routers.splice(0).map((served) => served.close()));
  await cluster?.close();
});

function startStream(app: AgentsRouter, input: string): Promise<Response> {
  return Promise.resolve(
    app.request('/agents/calculator/runs', {
      method: 'POST',
      headers: { ...alice, accept: 'text/event-stream' },
      body: JSON.stringify({ input }),
    }),
  );
}

describe('agent runs across nodes', () => {
  it('resumes on node B a stream cut on node A: every frame exactly once, in order', async () => {
    cluster = testCluster();
    const a = router(cluster.node(), 150);
    const b = router(cluster.node());
    const response = await startStream(a, 'what is 2 + 3');
    const runId = response.headers.get('x-sightline-run-id') ?? '';
    const reader = new SseReader(response);
    const first = [await reader.next(), await reader.next()];
    await reader.cancel();
    const lastId = Number(first.at(-1)?.id);
    const resumed = await b.request(`/agents/calculator/runs/${runId}/stream`, {
      headers: { ...alice, 'last-event-id': String(lastId) },
    });
    expect(resumed.status).toBe(200);
    const rest = parseSse(await resumed.text());
    const all = parseSse(
      await (
        await a.request(`/agents/calculator/runs/${runId}/stream`, {
          headers: { ...alice, 'last-event-id': '0' },
        })
      ).text(),
    );
    expect(rest.map((event) => Number(event.id))).toEqual(all.slice(lastId).map((event) => Number(event.id)));
    expect(rest.map((event) => event.data)).toEqual(all.slice(lastId).map((event) => event.data));
    expect(rest.at(-1)?.data).toBe('[DONE]');
    expect(chunksOf(rest).some((chunk) => chunk.type === 'text-delta')).toBe(true);
  });

  it('cancels from node B a run of node A, and reads its outcome on B', async () => {
    cluster = testCluster();
    const a = router(cluster.node(), 1_000);
    const b = router(cluster.node());
    const response = await startStream(a, 'what is 2 + 3');
    const runId = response.headers.get('x-sightline-run-id') ?? '';
    await new Promise((resolve) => setTimeout(resolve, 100)); // the run is recorded as running
    const cancelled = await b.request(`/agents/calculator/runs/${runId}/cancel`, {
      method: 'POST',
      headers: alice,
    });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ runId, status: 'cancelled' });
    const chunks = chunksOf(parseSse(await response.text()));
    expect(chunks.at(-1)).toMatchObject({ type: 'abort' });
    await a.runs.close();
    await vi_waitFor(async () => {
      const status = await b.request(`/agents/calculator/runs/${runId}`, { headers: alice });
      expect(await status.json()).toMatchObject({ status: 'cancelled', output: expect.any(String) });
    });
    const again = await b.request(`/agents/calculator/runs/${runId}/cancel`, {
      method: 'POST',
      headers: alice,
    });
    expect(again.status).toBe(409);
    const bob = await b.request(`/agents/calculator/runs/${runId}`, {
      headers: { authorization: 'Bearer bob-token' },
    });
    expect(bob.status).toBe(404);
  });

  it('finds on node B at once a JSON run of node A whose record A had not stored when it answered', async () => {
    const inner = memoryRuns();
    // Records take 300 ms to store: A answers the JSON run before its record is written.
    cluster = testCluster({
      runs: {
        ...inner,
        async saveRuns(records) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          await inner.saveRuns(records);
        },
      },
    });
    const a = router(cluster.node());
    const b = router(cluster.node());
    const started = await a.request('/agents/calculator/runs', {
      method: 'POST',
      headers: alice,
      body: JSON.stringify({ input: 'what is 2 + 3' }),
    });
    const { runId } = (await started.json()) as { runId: string };
    expect(await inner.getRun(runId)).toBeUndefined();
    const status = await b.request(`/agents/calculator/runs/${runId}`, { headers: alice });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ runId, status: expect.stringMatching(/running|completed/) });
    await vi_waitFor(async () => {
      const later = await b.request(`/agents/calculator/runs/${runId}`, { headers: alice });
      expect(await later.json()).toMatchObject({ runId, status: 'completed' });
    });
  });

  it("stores a streamed run's record before its client gets the run id (the node may die next)", async () => {
    const inner = memoryRuns();
    cluster = testCluster({
      runs: {
        ...inner,
        async saveRuns(records) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          await inner.saveRuns(records);
        },
      },
    });
    const a = router(cluster.node());
    const response = await startStream(a, 'what is 2 + 3');
    const runId = response.headers.get('x-sightline-run-id') ?? '';
    expect(await inner.getRun(runId)).toMatchObject({ runId, status: expect.any(String) });
    await response.body?.cancel();
  });

  it('ends the stream of a run whose node went silent with an error, a finish and [DONE]', async () => {
    cluster = testCluster();
    const silent = router(cluster.node({ silent: true }), 5_000);
    const b = router(cluster.node());
    const response = await startStream(silent, 'what is 2 + 3');
    const runId = response.headers.get('x-sightline-run-id') ?? '';
    await response.body?.cancel();
    const started = Date.now();
    const resumed = await b.request(`/agents/calculator/runs/${runId}/stream`, {
      headers: { ...alice, 'last-event-id': '1' },
    });
    const events = parseSse(await resumed.text());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(chunksOf(events).slice(-2)).toEqual([
      { type: 'error', errorText: expect.stringContaining('interrupted') },
      { type: 'finish', finishReason: 'error' },
    ]);
    const status = await (await b.request(`/agents/calculator/runs/${runId}`, { headers: alice })).json();
    expect(status).toMatchObject({ runId, status: 'interrupted', error: { code: 'upstream_failed' } });
  });
});

async function vi_waitFor(check: () => Promise<void>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
