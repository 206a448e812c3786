/**
 * `GET /agents/:name/conversations/:conversationId/messages`, in process: a conversation reads back as the
 * UI messages its stream built (user text, tool calls with results, answers), a run paused on an approval
 * reads with Approve / Deny to give (and answering from those messages resumes it), a denied call reads
 * denied, a run still streaming reads with its message and where to resume, and another user gets 404.
 * On every session store (memory, SQLite, PostgreSQL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSessionDatabases } from '@sightline/agents';
import { readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bearerUser, calculatorAgent, chunksOf, parseSse } from '../../test/fixtures.ts';
import { storeKinds } from '../../test/session-stores.ts';
import { type AgentsRouter, serveAgents } from '../agents/agent-routes.ts';
import type { RunOutcome } from '../agents/live-run.ts';
import type { ConversationHistory } from './conversation-history.ts';
import type { SessionStore } from './session-store.ts';

const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };
const bob = { ...alice, authorization: 'Bearer bob-token' };
const dir = mkdtempSync(join(tmpdir(), 'sl-serve-history-'));
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
    agents: { calculator: calculatorAgent(), slow: calculatorAgent({ latencyMs }) },
    sessions,
    getUser: bearerUser,
    tracker: false,
  });
  routers.push(router);
  return router;
}

/** A chat turn as `useChat` sends it (AI SDK transport body), answered as a UI message stream. */
function chat(app: AgentsRouter, agent: string, chatId: string, messages: UIMessage[]) {
  return app.request(`/agents/${agent}/runs`, {
    method: 'POST',
    headers: alice,
    body: JSON.stringify({ id: chatId, messages, trigger: 'submit-message' }),
  });
}

/** The assistant message a stream builds, as `useChat` would (continuing `message` when given). */
async function streamed(response: Response, message?: UIMessage): Promise<UIMessage> {
  const chunks = chunksOf(parseSse(await response.text())) as UIMessageChunk[];
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let last: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream<UIMessage>({ stream, ...(message ? { message } : {}) }))
    last = snapshot;
  if (!last) throw new Error('the stream built no message');
  return last;
}

async function history(
  app: AgentsRouter,
  conversationId: string,
  options: { agent?: string; headers?: Record<string, string>; query?: string } = {},
): Promise<{ status: number; body: ConversationHistory & { error?: { code: string } } }> {
  const path = `/agents/${options.agent ?? 'calculator'}/conversations/${encodeURIComponent(conversationId)}/messages${options.query ?? ''}`;
  const response = await app.request(path, { headers: options.headers ?? alice });
  return { status: response.status, body: (await response.json()) as never };
}

const user = (id: string, text: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });

/** Parts without what only a live stream carries (provider metadata), for comparing. */
function comparable(message: UIMessage): Array<Record<string, unknown>> {
  return message.parts.map((part) => {
    const { callProviderMetadata, resultProviderMetadata, providerMetadata, ...rest } = part as Record<
      string,
      unknown
    >;
    return rest;
  });
}

describe.each(storeKinds(dir))('conversation history ($name sessions)', (kind) => {
  it('reads a conversation back as the UI messages its stream built; another user gets 404', async () => {
    const app = serve(await kind.open('history-plain'));
    const first = user('u1', 'what is 2 + 3');
    const answer1 = await streamed(await chat(app, 'calculator', 'chat-a', [first]));
    const second = user('u2', 'what is 10 + 5');
    const answer2 = await streamed(await chat(app, 'calculator', 'chat-a', [first, answer1, second]));

    const { status, body } = await history(app, 'chat-a');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      conversationId: 'chat-a',
      trackedConversationId: 'alice:chat-a',
      tracked: false,
      agent: 'calculator',
      hasMore: false,
      pendingApproval: null,
      activeRun: null,
    });
    const messages = body.messages as UIMessage[];
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(messages[0]?.parts).toEqual([{ type: 'text', text: 'what is 2 + 3', state: 'done' }]);
    expect(messages[2]?.parts).toEqual([{ type: 'text', text: 'what is 10 + 5', state: 'done' }]);
    // The same parts the stream built: steps, the tool call with its input and result, the answer.
    expect(comparable(messages[1] as UIMessage)).toEqual(comparable(answer1));
    expect(comparable(messages[3] as UIMessage)).toEqual(comparable(answer2));
    expect(messages[1]?.parts).toContainEqual(
      expect.objectContaining({
        type: 'dynamic-tool',
        toolName: 'calculate',
        state: 'output-available',
        input: { expression: '2 + 3' },
        output: '5',
      }),
    );
    expect(messages[3]?.metadata).toEqual({
      conversationId: 'chat-a',
      trackedConversationId: 'alice:chat-a',
      agent: 'calculator',
    });
    // Message ids are stable from one read to the next.
    expect((await history(app, 'chat-a')).body.messages).toEqual(messages);

    // The latest messages only, saying there are more.
    const latest = await history(app, 'chat-a', { query: '?limit=2' });
    expect(latest.body.messages).toEqual(messages.slice(2));
    expect(latest.body.hasMore).toBe(true);

    // Bob has no conversation chat-a (his own would be another one): 404, as for an id nobody used.
    const asBob = await history(app, 'chat-a', { headers: bob });
    expect(asBob.status).toBe(404);
    expect(asBob.body.error?.code).toBe('not_found');
    expect((await history(app, 'chat-never')).status).toBe(404);
  });

  it('reads a run paused on an approval with the call to decide; answering from it resumes the run', async () => {
    const sessions = await kind.open('history-approval');
    const app = serve(sessions);
    const ask = user('u1', 'what is 6 * 7');
    const paused = await streamed(await chat(app, 'calculator', 'chat-b', [ask]));
    const runId = (paused.metadata as { runId: string }).runId;

    const { status, body } = await history(app, 'chat-b');
    expect(status).toBe(200);
    expect(body.activeRun).toBeNull();
    expect(body.pendingApproval).toEqual({
      runId,
      approvals: [expect.objectContaining({ toolName: 'calculate', arguments: { expression: '6 * 7' } })],
    });
    const approvalId = body.pendingApproval?.approvals[0]?.approvalId as string;
    const messages = body.messages as UIMessage[];
    expect(messages).toHaveLength(2);
    const waiting = messages[1] as UIMessage;
    // The assistant message is the paused run's (the id its stream gave it), its call waiting for a person.
    expect(waiting.id).toBe(runId);
    expect(waiting.metadata).toMatchObject({ runId, trackedConversationId: 'alice:chat-b' });
    expect(comparable(waiting)).toEqual(comparable(paused));
    expect(waiting.parts).toContainEqual(
      expect.objectContaining({
        type: 'dynamic-tool',
        state: 'approval-requested',
        input: { expression: '6 * 7' },
        approval: { id: approvalId },
      }),
    );
    // Bob sees nothing of it.
    expect((await history(app, 'chat-b', { headers: bob })).status).toBe(404);

    // What a chat opened from the history sends when the person approves: the run resumes and answers.
    const decided: UIMessage = {
      ...waiting,
      parts: waiting.parts.map((part) =>
        part.type === 'dynamic-tool' && part.state === 'approval-requested'
          ? { ...part, state: 'approval-responded', approval: { id: part.approval.id, approved: true } }
          : part,
      ),
    };
    const resumed = await streamed(
      await chat(app, 'calculator', 'chat-b', [messages[0] as UIMessage, decided]),
      decided,
    );
    expect(resumed.parts.at(-1)).toMatchObject({ type: 'text', text: '[demo model] The answer is 42.' });

    const after = (await history(app, 'chat-b')).body;
    expect(after.pendingApproval).toBeNull();
    expect(after.messages).toHaveLength(2);
    // As streamed, but for the decision on the call: the stored items keep its result, not who allowed it.
    expect(comparable(after.messages[1] as UIMessage)).toEqual(
      comparable(resumed).map((part) => ({ ...part, approval: undefined })),
    );
    expect((after.messages[1] as UIMessage).parts).toContainEqual(
      expect.objectContaining({ type: 'dynamic-tool', state: 'output-available', output: '42' }),
    );
  });

  it('reads a denied call as denied', async () => {
    const app = serve(await kind.open('history-denied'));
    const started = await app.request('/agents/calculator/runs', {
      method: 'POST',
      headers: alice,
      body: JSON.stringify({ input: 'what is 3 * 3', conversationId: 'chat-c' }),
    });
    const paused = (await started.json()) as RunOutcome;
    const approvalId = paused.approvals?.[0]?.approvalId as string;
    await app.request(`/agents/calculator/runs/${paused.runId}/approvals`, {
      method: 'POST',
      headers: alice,
      body: JSON.stringify({ approvals: [{ approvalId, approved: false }] }),
    });
    const messages = (await history(app, 'chat-c')).body.messages as UIMessage[];
    expect(messages[1]?.parts).toContainEqual({
      type: 'dynamic-tool',
      toolName: 'calculate',
      toolCallId: approvalId,
      state: 'output-denied',
      input: { expression: '3 * 3' },
      approval: { id: approvalId, approved: false },
    });
  });
});

describe('a run still working', () => {
  it('reads with the person’s message and the run to resume from its first frame', async () => {
    const app = serve((await storeKinds(dir)[0]?.open('x')) as SessionStore, 150);
    const response = await chat(app, 'slow', 'chat-d', [user('u1', 'what is 2 + 2')]);
    const runId = response.headers.get('x-sightline-run-id') as string;
    const { body } = await history(app, 'chat-d', { agent: 'slow' });
    expect(body.activeRun).toEqual({ runId, lastEventId: 0 });
    expect(body.pendingApproval).toBeNull();
    expect(body.messages).toEqual([
      expect.objectContaining({
        role: 'user',
        parts: [{ type: 'text', text: 'what is 2 + 2', state: 'done' }],
      }),
    ]);
    // What the stream sent is what a resume from there replays.
    const sent = await response.text();
    const replay = await app.request(`/agents/slow/runs/${runId}/stream`, {
      headers: { ...alice, 'last-event-id': '0' },
    });
    expect(await replay.text()).toBe(sent);
    expect((await history(app, 'chat-d', { agent: 'slow' })).body.activeRun).toBeNull();
  });

  it('reads a run resuming after approval with the decision, resumable after its start frame', async () => {
    const app = serve((await storeKinds(dir)[0]?.open('x')) as SessionStore, 150);
    const paused = await streamed(await chat(app, 'slow', 'chat-e', [user('u1', 'what is 5 * 5')]));
    const waiting = (await history(app, 'chat-e', { agent: 'slow' })).body.messages[1] as UIMessage;
    const decided: UIMessage = {
      ...waiting,
      parts: waiting.parts.map((part) =>
        part.type === 'dynamic-tool' && part.state === 'approval-requested'
          ? { ...part, state: 'approval-responded', approval: { id: part.approval.id, approved: true } }
          : part,
      ),
    };
    const resuming = await chat(app, 'slow', 'chat-e', [user('u1', 'what is 5 * 5'), decided]);
    const { body } = await history(app, 'chat-e', { agent: 'slow' });
    const runId = (paused.metadata as { runId: string }).runId;
    expect(body.pendingApproval).toBeNull();
    const frames = parseSse(await resuming.text());
    // Resume after the resumed phase's start frame: the message in the history is the one to continue.
    expect(body.activeRun).toEqual({ runId, lastEventId: Number(frames[0]?.id) });
    expect(body.messages[1]).toMatchObject({ id: runId });
    expect((body.messages[1] as UIMessage).parts).toContainEqual(
      expect.objectContaining({
        state: 'approval-responded',
        approval: expect.objectContaining({ approved: true }),
      }),
    );
  });
});

describe('bad requests', () => {
  it('refuses bad ids and limits with a 400 naming them, and needs a user', async () => {
    const app = serve((await storeKinds(dir)[0]?.open('x')) as SessionStore);
    // ('.' and '..' never arrive: URLs resolve them, %2e included.)
    for (const id of ['x'.repeat(257), 'a%00b', '%0A', 'a%7Fb', 'a%1Bb']) {
      const response = await app.request(`/agents/calculator/conversations/${id}/messages`, {
        headers: alice,
      });
      expect(response.status, id).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('conversationId');
    }
    for (const limit of ['0', '-1', '1.5', 'abc', '1001', '']) {
      const { status, body } = await history(app, 'chat-a', { query: `?limit=${limit}` });
      expect(status, limit).toBe(400);
      expect(JSON.stringify(body)).toContain('limit');
    }
    expect((await history(app, 'chat-a', { agent: 'nobody' })).status).toBe(404);
    expect((await history(app, 'chat-a', { headers: {} })).status).toBe(401);
  });
});
