import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentInputItem } from '@openai/agents';
import { closeSessionDatabases } from '@sightline/agents';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { bearerUser, calculatorAgent, chunksOf, parseSse } from '../../test/fixtures.ts';
import { storeKinds } from '../../test/session-stores.ts';
import { memorySessions, type SessionStore } from '../sessions/session-store.ts';
import { type AgentsRouter, serveAgents } from './agent-routes.ts';
import type { RunOutcome } from './live-run.ts';

const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };
const aliceSse = { ...alice, accept: 'text/event-stream' };
const dir = mkdtempSync(join(tmpdir(), 'sl-serve-runs-'));
const routers: AgentsRouter[] = [];

afterEach(async () => {
  await Promise.all(routers.splice(0).map((router) => router.close()));
});
afterAll(() => {
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
});

function serve(sessions: SessionStore, latencyMs = 0): AgentsRouter {
  const router = serveAgents({
    agents: [calculatorAgent({ latencyMs })],
    sessions,
    getUser: bearerUser,
    tracker: false,
  });
  routers.push(router);
  return router;
}

function post(app: AgentsRouter, path: string, body: unknown, headers: Record<string, string> = alice) {
  return app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
}

function history(sessions: SessionStore, conversationId: string): Promise<AgentInputItem[]> {
  return sessions.session(conversationId, 'alice').getItems();
}

// The tests of what the session store keeps run against each store: memory, SQLite and PostgreSQL.
const kinds = storeKinds(dir);

function types(items: AgentInputItem[]): string[] {
  return items.map((item) => ('role' in item && item.role ? `${item.role}` : String(item.type)));
}

describe.each(kinds)('tool approvals ($name sessions)', (kind) => {
  it('pauses on a tool that needs approval, and resumes when it is approved (JSON)', async () => {
    const sessions = await kind.open('approve');
    const app = serve(sessions);
    const paused = (await (
      await post(app, '/agents/calculator/runs', { input: 'what is 6 * 7' })
    ).json()) as RunOutcome;
    expect(paused.status).toBe('awaiting_approval');
    expect(paused.approvals).toEqual([
      {
        approvalId: expect.any(String),
        toolCallId: expect.any(String),
        toolName: 'calculate',
        agent: 'calculator',
        arguments: { expression: '6 * 7' },
      },
    ]);
    // Nothing half-written while the person decides.
    expect(await history(sessions, paused.conversationId)).toEqual([]);
    // The conversation is busy until the run is answered.
    const busy = await post(app, '/agents/calculator/runs', {
      input: 'hi',
      conversationId: paused.conversationId,
    });
    expect(busy.status).toBe(409);

    const approvalId = paused.approvals?.[0]?.approvalId;
    const done = await post(app, `/agents/calculator/runs/${paused.runId}/approvals`, {
      approvals: [{ approvalId, approved: true }],
    });
    expect(done.status).toBe(200);
    const outcome = (await done.json()) as RunOutcome;
    expect(outcome).toMatchObject({
      runId: paused.runId,
      status: 'completed',
      output: '[demo model] The answer is 42.',
    });
    expect(types(await history(sessions, paused.conversationId))).toEqual([
      'user',
      'function_call',
      'function_call_result',
      'assistant',
    ]);
    // Answering twice is refused.
    const again = await post(app, `/agents/calculator/runs/${paused.runId}/approvals`, {
      approvals: [{ approvalId, approved: true }],
    });
    expect(again.status).toBe(409);
  });

  it('tells the model when a call is rejected and streams tool-output-denied', async () => {
    const app = serve(await kind.open('reject'));
    const paused = (await (
      await post(app, '/agents/calculator/runs', { input: 'what is 3 * 3' })
    ).json()) as RunOutcome;
    const approvalId = paused.approvals?.[0]?.approvalId as string;
    const response = await post(
      app,
      `/agents/calculator/runs/${paused.runId}/approvals`,
      { approvals: [{ approvalId, approved: false, message: 'not allowed' }] },
      aliceSse,
    );
    const chunks = chunksOf(parseSse(await response.text()));
    expect(chunks[0]).toMatchObject({ type: 'start', messageId: paused.runId });
    expect(chunks).toContainEqual({ type: 'tool-approval-response', approvalId, approved: false });
    expect(chunks).toContainEqual({ type: 'tool-output-denied', toolCallId: approvalId });
    expect(chunks.at(-1)).toEqual({ type: 'finish', finishReason: 'stop' });
  });

  it('refuses unknown approval ids, other users and malformed decisions with a 4xx', async () => {
    const app = serve(await kind.open('refuse'));
    const paused = (await (
      await post(app, '/agents/calculator/runs', { input: 'what is 2 * 8' })
    ).json()) as RunOutcome;
    const path = `/agents/calculator/runs/${paused.runId}/approvals`;
    const unknown = await post(app, path, { approvals: [{ approvalId: 'call_nope', approved: true }] });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain('approvals.0.approvalId');
    const bob = await post(
      app,
      path,
      { approvals: [{ approvalId: 'x', approved: true }] },
      {
        ...alice,
        authorization: 'Bearer bob-token',
      },
    );
    expect(bob.status).toBe(404);
    const malformed = await post(app, path, { approvals: [{ approvalId: 'x', approved: 'yes' }] });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(await malformed.json())).toContain('approvals.0.approved');
    // Still answerable after all that.
    const approvalId = paused.approvals?.[0]?.approvalId;
    const ok = await post(app, path, { approvals: [{ approvalId, approved: true }] });
    expect(((await ok.json()) as RunOutcome).output).toBe('[demo model] The answer is 16.');
  });
});

describe.each(kinds.filter((kind) => kind.durable))('restarts ($name sessions)', (kind) => {
  it('survives a restart between the question and the answer: the run completes, the history is whole', async () => {
    const before = serve(await kind.open('restart'));
    const response = await post(before, '/agents/calculator/runs', { input: 'what is 12 * 12' }, aliceSse);
    const firstFrames = parseSse(await response.text());
    const runId = response.headers.get('x-sightline-run-id') as string;
    const conversationId = response.headers.get('x-sightline-conversation-id') as string;
    const request = chunksOf(firstFrames).find((chunk) => chunk.type === 'tool-approval-request');
    expect(request).toBeDefined();
    // The server goes away: its memory and its database handles are gone.
    await before.close();
    await kind.restart();

    const sessions = await kind.open('restart');
    const after = serve(sessions);
    const resumed = await post(
      after,
      `/agents/calculator/runs/${runId}/approvals`,
      { approvals: [{ approvalId: request?.approvalId, approved: true }] },
      aliceSse,
    );
    expect(resumed.status).toBe(200);
    const frames = parseSse(await resumed.text());
    // The frame numbering continues where the first stream ended.
    expect(Number(frames[0]?.id)).toBe(Number(firstFrames.at(-1)?.id) + 1);
    const text = chunksOf(frames)
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => chunk.delta)
      .join('');
    expect(text).toBe('[demo model] The answer is 144.');
    const items = await history(sessions, conversationId);
    expect(types(items)).toEqual(['user', 'function_call', 'function_call_result', 'assistant']);
    expect(JSON.stringify(items[0])).toContain('12 * 12');
  });
});

describe('streams', () => {
  it('resumes a stream cut after N frames with Last-Event-ID: every frame exactly once', async () => {
    const app = serve(memorySessions(), 5);
    const response = await post(app, '/agents/calculator/runs', { input: 'what is 100 + 23' }, aliceSse);
    const runId = response.headers.get('x-sightline-run-id') as string;
    // Read three frames, then drop the connection.
    const reader = response.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    let text = '';
    while (parseSse(text).filter((event) => event.id).length < 3 || !text.endsWith('\n\n')) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const head = parseSse(text);
    const lastId = head.at(-1)?.id as string;

    const rest = await app.request(`/agents/calculator/runs/${runId}/stream`, {
      headers: { ...alice, 'last-event-id': lastId },
    });
    expect(rest.status).toBe(200);
    const tail = parseSse(await rest.text());
    const all = [...head, ...tail];
    expect(all.map((event) => Number(event.id))).toEqual(all.map((_, index) => index + 1));
    expect(all.at(-1)?.data).toBe('[DONE]');
    const textOut = chunksOf(all)
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => chunk.delta)
      .join('');
    expect(textOut).toBe('[demo model] The answer is 123.');
  });

  it('keeps running when the client goes away, and stores the turn', async () => {
    const sessions = memorySessions();
    const app = serve(sessions, 20);
    const response = await post(app, '/agents/calculator/runs', { input: 'what is 1 + 2' }, aliceSse);
    const runId = response.headers.get('x-sightline-run-id') as string;
    const conversationId = response.headers.get('x-sightline-conversation-id') as string;
    await response.body?.cancel();
    const outcome = (await app.runs.find('calculator', runId, 'alice')?.settled) as RunOutcome;
    expect(outcome.status).toBe('completed');
    const items = await sessions.session(conversationId, 'alice').getItems();
    expect(types(items)).toEqual(['user', 'function_call', 'function_call_result', 'assistant']);
  });

  it('answers 204 when there is nothing to resume, and 4xx for bad Last-Event-IDs', async () => {
    const app = serve(memorySessions());
    const none = await app.request('/agents/calculator/runs/no-such-run/stream', { headers: alice });
    expect(none.status).toBe(204);
    const response = await post(app, '/agents/calculator/runs', { input: 'what is 1 + 1' }, aliceSse);
    const runId = response.headers.get('x-sightline-run-id') as string;
    const count = parseSse(await response.text()).length;
    const bad = await app.request(`/agents/calculator/runs/${runId}/stream`, {
      headers: { ...alice, 'last-event-id': 'abc' },
    });
    expect(bad.status).toBe(400);
    const future = await app.request(`/agents/calculator/runs/${runId}/stream`, {
      headers: { ...alice, 'last-event-id': String(count + 5) },
    });
    expect(future.status).toBe(400);
    const last = await app.request(`/agents/calculator/runs/${runId}/stream`, {
      headers: { ...alice, 'last-event-id': String(count) },
    });
    expect(last.status).toBe(200);
    expect(parseSse(await last.text())).toEqual([]);
  });
});

describe.each(kinds)('cancel ($name sessions)', (kind) => {
  it('stops a running run and stores what it produced', async () => {
    const sessions = await kind.open('cancel');
    const app = serve(sessions, 300);
    const response = await post(app, '/agents/calculator/runs', { input: 'hello there' }, aliceSse);
    const runId = response.headers.get('x-sightline-run-id') as string;
    const conversationId = response.headers.get('x-sightline-conversation-id') as string;
    const cancel = await app.request(`/agents/calculator/runs/${runId}/cancel`, {
      method: 'POST',
      headers: alice,
    });
    expect(cancel.status).toBe(200);
    expect(((await cancel.json()) as RunOutcome).status).toBe('cancelled');
    const chunks = chunksOf(parseSse(await response.text()));
    expect(chunks.at(-1)).toEqual({ type: 'abort', reason: 'cancelled' });
    const items = await sessions.session(conversationId, 'alice').getItems();
    expect(types(items)).toEqual(['user']);
    const again = await app.request(`/agents/calculator/runs/${runId}/cancel`, {
      method: 'POST',
      headers: alice,
    });
    expect(again.status).toBe(409);
  });

  it('drops a run waiting for approval, leaving a valid history', async () => {
    const sessions = await kind.open('cancel');
    const app = serve(sessions);
    const paused = (await (
      await post(app, '/agents/calculator/runs', { input: 'what is 5 * 5' })
    ).json()) as RunOutcome;
    const cancel = await app.request(`/agents/calculator/runs/${paused.runId}/cancel`, {
      method: 'POST',
      headers: alice,
    });
    expect(((await cancel.json()) as RunOutcome).status).toBe('cancelled');
    const items = await sessions.session(paused.conversationId, 'alice').getItems();
    expect(types(items)).toEqual(['user', 'function_call', 'function_call_result']);
    // The conversation is free again.
    const next = await post(app, '/agents/calculator/runs', {
      input: 'what is 1 + 1',
      conversationId: paused.conversationId,
    });
    expect(((await next.json()) as RunOutcome).status).toBe('completed');
  });

  it('answers 404 for an unknown run', async () => {
    const app = serve(await kind.open('cancel'));
    const response = await app.request('/agents/calculator/runs/nope/cancel', {
      method: 'POST',
      headers: alice,
    });
    expect(response.status).toBe(404);
  });
});

describe('capacity', () => {
  it('answers 503 beyond maxConcurrentRuns, and takes runs again once they finished', async () => {
    const app = serveAgents({
      agents: [calculatorAgent({ latencyMs: 50 })],
      sessions: memorySessions(),
      getUser: bearerUser,
      tracker: false,
      maxConcurrentRuns: 2,
    });
    routers.push(app);
    const slow = [1, 2].map((n) => post(app, '/agents/calculator/runs', { input: `what is ${n} + 1` }));
    // A run is counted from its start until it settles.
    await vi.waitFor(() => expect(app.runs.runningCount).toBe(2));
    const refused = await post(app, '/agents/calculator/runs', { input: 'hello' });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('overloaded');
    for (const response of await Promise.all(slow)) expect(response.status).toBe(200);
    const again = await post(app, '/agents/calculator/runs', { input: 'hello' });
    expect(again.status).toBe(200);
    expect(app.runs.runningCount).toBe(0);
  });
});
