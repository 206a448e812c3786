/**
 * Issue 12's acceptance: three real `sightline start` processes on one PostgreSQL schema and one NATS
 * JetStream, behind a round-robin proxy with no sticky sessions. A 5-turn chat remembers across nodes; an
 * approval asked on node 1 is answered on node 2; a stream cut on node 1 resumes on node 3 with every frame
 * once; a workflow question is answered and the run cancelled from other nodes; a node killed with SIGKILL
 * mid-run gives its reader a terminal event within 10 s with no half-stored turn; after every node restarts,
 * past runs and conversations are readable and a pending approval is approved with the dashboard chat's body.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresSessions } from '@sightline/agents';
import { createTestPostgresStore, testDatabaseUrl } from '@sightline/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RoundRobinProxy, roundRobinProxy } from './round-robin-proxy.ts';
import { type RunningCli, startCli } from './spawn-cli.ts';

const NATS_URL = process.env.SIGHTLINE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
let dir: string;
let url: string;
let env: Record<string, string>;
let dropSchema: () => Promise<void>;
let nodes: RunningCli[] = [];
let proxy: RoundRobinProxy;
let key: string;

async function startNodes(): Promise<void> {
  // One after the other: the first creates the project and keys the others find.
  nodes = [];
  for (let index = 0; index < 3; index += 1) nodes.push(await startCli({ cwd: dir, env }));
}

beforeAll(async () => {
  const pg = await createTestPostgresStore();
  await pg.store.close();
  dropSchema = pg.drop;
  const parsed = new URL(testDatabaseUrl());
  parsed.searchParams.set('options', `-c search_path=${pg.schema}`);
  url = parsed.toString();
  dir = mkdtempSync(join(tmpdir(), 'sightline-three-nodes-'));
  env = { DATABASE_URL: url, NATS_URL, OPENAI_API_KEY: '', SIGHTLINE_DEMO_LATENCY_MS: '400' };
  await startNodes();
  // The admin key: it runs the served agents and reads the collector's /v1 too.
  key = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8')).adminKey;
  proxy = await roundRobinProxy(() => nodes.map((node) => node.url));
}, 90_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all(nodes.map((node) => node.stop()));
  await dropSchema?.();
  rmSync(dir, { recursive: true, force: true });
});

const node = (index: number) => (nodes[index] as RunningCli).url;
const headers = () => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

async function post(base: string, path: string, body: unknown, accept = 'application/json') {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...headers(), accept },
    body: JSON.stringify(body),
  });
}

interface Frame {
  id: number;
  data: string;
}

/** Reads SSE frames from a response, one at a time. */
function frames(response: Response): { next(): Promise<Frame | undefined>; cancel(): Promise<void> } {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) continue;
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('');
          return { id: Number(id), data };
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

async function rest(stream: ReturnType<typeof frames>): Promise<Frame[]> {
  const all: Frame[] = [];
  for (let frame = await stream.next(); frame; frame = await stream.next()) all.push(frame);
  return all;
}

async function history(conversationId: string): Promise<string[]> {
  const sessions = postgresSessions(url);
  try {
    const items = await sessions.session(conversationId, 'local-user').getItems();
    return items.map((item) => ('role' in item ? `${item.role}` : String(item.type)));
  } finally {
    await sessions.close();
  }
}

const TURN = ['user', 'function_call', 'function_call_result', 'assistant'];

describe('three sightline start nodes on one PostgreSQL + NATS, no sticky sessions', () => {
  it('keeps a 5-turn chat whole while every turn hits another node', async () => {
    const conversationId = `chat-${Date.now()}`;
    const servedBefore = proxy.served.length;
    for (let turn = 1; turn <= 5; turn += 1) {
      const response = await post(proxy.url, '/agents/calculator/runs', {
        input: `what is ${turn} + ${turn}`,
        conversationId,
      });
      expect(response.status).toBe(200);
      expect((await response.json()).output).toContain(String(turn * 2));
    }
    const served = proxy.served.slice(servedBefore);
    for (let turn = 1; turn < served.length; turn += 1) expect(served[turn]).not.toBe(served[turn - 1]);
    expect(await history(conversationId)).toEqual([...TURN, ...TURN, ...TURN, ...TURN, ...TURN]);
  });

  it('answers on node 2 an approval asked on node 1', async () => {
    const paused = await (await post(node(0), '/agents/notes/runs', { input: 'delete note 1' })).json();
    expect(paused.status).toBe('awaiting_approval');
    const approvals = [{ approvalId: paused.approvals[0].approvalId, approved: true }];
    const answered = await post(node(1), `/agents/notes/runs/${paused.runId}/approvals`, { approvals });
    expect(answered.status).toBe(200);
    expect((await answered.json()).status).toBe('completed');
  });

  it('resumes on node 3 a stream cut on node 1, every frame exactly once', async () => {
    const response = await post(
      node(0),
      '/agents/calculator/runs',
      { input: 'what is 20 + 22' },
      'text/event-stream',
    );
    const runId = response.headers.get('x-sightline-run-id');
    const first = frames(response);
    const seen = [await first.next(), await first.next()] as Frame[];
    await first.cancel();
    const resumed = await fetch(`${node(2)}/agents/calculator/runs/${runId}/stream`, {
      headers: { ...headers(), 'last-event-id': String(seen[1]?.id) },
    });
    expect(resumed.status).toBe(200);
    const all = [...seen, ...(await rest(frames(resumed)))];
    expect(all.map((frame) => frame.id)).toEqual(all.map((_, index) => index + 1));
    expect(all.at(-1)?.data).toBe('[DONE]');
    expect(all.map((frame) => frame.data).join('')).toContain('42');
  });

  it('answers a workflow question on another node and cancels the run from a third', async () => {
    const started = await (
      await post(node(0), '/workflows/student_teacher/runs', { params: { rounds: 3 } })
    ).json();
    const events = frames(
      await fetch(`${node(0)}/workflows/runs/${started.runId}/events`, {
        headers: { ...headers(), accept: 'text/event-stream' },
      }),
    );
    const parsed = async () => JSON.parse(((await events.next()) as Frame).data) as Record<string, unknown>;
    expect((await parsed()).type).toBe('started');
    const ask = await parsed();
    expect(ask.type).toBe('ask');
    const answered = await post(node(1), `/workflows/runs/${started.runId}/answers`, {
      questionId: ask.questionId,
      answer: 'the moon',
    });
    expect(answered.status).toBe(200);
    expect(await parsed()).toEqual({ type: 'answered', questionId: ask.questionId });
    expect(((await parsed()).text as string).startsWith('Student:')).toBe(true);
    const cancelled = await post(node(2), `/workflows/runs/${started.runId}/cancel`, {});
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled' });
    const last = (await rest(events)).map((frame) => JSON.parse(frame.data).type);
    expect(last.at(-1)).toBe('cancelled');
  });

  it('cancels from node 2 an agent run of node 3', async () => {
    const response = await post(
      node(2),
      '/agents/calculator/runs',
      { input: 'what is 5 + 5' },
      'text/event-stream',
    );
    const runId = response.headers.get('x-sightline-run-id');
    const stream = frames(response);
    await stream.next();
    const cancelled = await post(node(1), `/agents/calculator/runs/${runId}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect((await cancelled.json()).status).toBe('cancelled');
    expect((await rest(stream)).map((frame) => frame.data).join('')).toContain('"type":"abort"');
  });

  it('gives the reader of a run on a node killed with SIGKILL a terminal event within 10 s; no half turn', async () => {
    const conversationId = `killed-${Date.now()}`;
    const response = await post(
      node(2),
      '/agents/calculator/runs',
      { input: 'what is 3 + 4', conversationId },
      'text/event-stream',
    );
    const runId = response.headers.get('x-sightline-run-id');
    const stream = frames(response);
    const first = (await stream.next()) as Frame;
    (nodes[2] as RunningCli).child.kill('SIGKILL');
    const killedAt = Date.now();
    await rest(stream).catch(() => []);
    const resumed = await fetch(`${proxy.url}/agents/calculator/runs/${runId}/stream`, {
      headers: { ...headers(), 'last-event-id': String(first.id) },
    });
    const after = await rest(frames(resumed));
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(after.at(-1)?.data).toBe('[DONE]');
    expect(after.map((frame) => frame.data).join('')).toMatch(/"type":"error".*interrupted/);
    expect([0, TURN.length]).toContain((await history(conversationId)).length);
    for (const index of [0, 1]) {
      const again = await post(node(index), '/agents/calculator/runs', { input: 'what is 1 + 1' });
      expect(again.status).toBe(200);
    }
    const status = await (
      await fetch(`${proxy.url}/agents/calculator/runs/${runId}`, { headers: headers() })
    ).json();
    expect(status.status).toBe('interrupted');
  });

  it('after every node restarts: past runs and conversations readable, a pending approval approved from the chat', async () => {
    const workflow = await (
      await post(node(0), '/workflows/student_teacher/runs', { params: { rounds: 1 } })
    ).json();
    const ask = await waitForAsk(node(0), workflow.runId);
    await post(node(1), `/workflows/runs/${workflow.runId}/answers`, { questionId: ask, answer: 'primes' });
    const chatId = `chat-restart-${Date.now()}`;
    const paused = await (
      await post(node(1), '/agents/notes/runs', { input: 'delete note 2', conversationId: chatId })
    ).json();
    expect(paused.status).toBe('awaiting_approval');
    await waitForStatus(node(0), workflow.runId, 'completed');
    await Promise.all(nodes.map((one) => one.stop()));
    await startNodes();
    const events = await rest(
      frames(await fetch(`${proxy.url}/workflows/runs/${workflow.runId}/events`, { headers: headers() })),
    );
    expect(events.map((frame) => JSON.parse(frame.data).type).at(-1)).toBe('completed');
    const tracked = await fetch(
      `${proxy.url}/v1/conversations/${encodeURIComponent(paused.trackedConversationId)}`,
      {
        headers: headers(),
      },
    );
    expect(tracked.status).toBe(200);
    // What the dashboard chat (AI SDK useChat) sends when Approve is clicked after the restart.
    const approval = paused.approvals[0];
    const body = {
      id: chatId,
      messages: [
        { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'delete note 2' }] },
        {
          id: paused.runId,
          role: 'assistant',
          parts: [
            {
              type: 'dynamic-tool',
              toolName: approval.toolName,
              toolCallId: approval.toolCallId,
              state: 'approval-responded',
              input: approval.arguments,
              approval: { id: approval.approvalId, approved: true },
            },
          ],
        },
      ],
    };
    const approved = await post(proxy.url, '/agents/notes/runs', body, 'text/event-stream');
    expect(approved.status).toBe(200);
    const chunks = (await rest(frames(approved))).map((frame) => frame.data).join('\n');
    expect(chunks).toContain('"type":"tool-output-available"');
    expect(chunks).toContain('[DONE]');
    expect(await history(chatId)).toEqual(TURN);
  });
});

async function waitForAsk(base: string, runId: string): Promise<string> {
  for (let tries = 0; tries < 50; tries += 1) {
    const status = await (await fetch(`${base}/workflows/runs/${runId}`, { headers: headers() })).json();
    if (status.questions?.[0]) return status.questions[0] as string;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`workflow run ${runId} asked nothing`);
}

async function waitForStatus(base: string, runId: string, status: string): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    const run = await (await fetch(`${base}/workflows/runs/${runId}`, { headers: headers() })).json();
    if (run.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`workflow run ${runId} did not become ${status}`);
}
