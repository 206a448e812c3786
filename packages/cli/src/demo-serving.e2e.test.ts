/**
 * `sightline start` serves the demo agents and the student/teacher workflow next to the collector, and
 * every served run lands in the collector with no tracking code (real process, real HTTP and WebSocket).
 * The served routes take the project's chat or admin keys; a read key (the read-only dashboard link's)
 * gets 403 saying so, and runs nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningCli, startCli } from './spawn-cli.ts';

let dir: string;
let cli: RunningCli;
let keys: { ingestKey: string; readKey: string; chatKey: string; adminKey: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sightline-serving-'));
  cli = await startCli({ cwd: dir, env: { OPENAI_API_KEY: '' } });
  keys = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
}, 60_000);

afterAll(async () => {
  await cli?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A request with the chat key (served routes), or `key`. */
function api(path: string, init: RequestInit = {}, key = keys.chatKey): Promise<Response> {
  return fetch(`${cli.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function conversation(id: string): Promise<{ messages: Array<{ role: string; content: string }> }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const res = await api(`/v1/conversations/${id}`, {}, keys.readKey);
    if (res.status === 200) {
      const detail = await res.json();
      if (detail.messages.length >= 2) return detail;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`conversation ${id} never reached the collector`);
}

describe('sightline start serves the demo agents', () => {
  it('lists the agents and workflow, refusing callers without a project key', async () => {
    const agents = await (await api('/agents')).json();
    expect(agents.agents.map((agent: { name: string }) => agent.name)).toEqual([
      'assistant',
      'notes',
      'calculator',
      'weather',
    ]);
    const workflows = await (await api('/workflows')).json();
    expect(workflows.workflows.map((workflow: { name: string }) => workflow.name)).toEqual([
      'student_teacher',
    ]);
    expect((await fetch(`${cli.url}/agents`)).status).toBe(401);
    const wrong = await fetch(`${cli.url}/agents`, { headers: { authorization: 'Bearer sl_read_nope' } });
    expect(wrong.status).toBe(401);
  });

  it('runs an agent with a tool call and tracks it into the collector', async () => {
    const res = await api('/agents/calculator/runs', {
      method: 'POST',
      body: JSON.stringify({ input: 'what is 12 times 7' }),
    });
    expect(res.status).toBe(200);
    const run = await res.json();
    expect(run.output).toContain('84');
    const detail = await conversation(run.conversationId);
    expect(detail.messages.map((message) => message.role)).toEqual(['human', 'agent']);
    expect(detail.messages[0]?.content).toBe('what is 12 times 7');
  });

  it('runs the student/teacher workflow over WebSocket, asking the subject first', async () => {
    const ws = new WebSocket(
      `${cli.url.replace('http', 'ws')}/workflows/student_teacher/ws?key=${keys.chatKey}`,
    );
    const events: Array<Record<string, unknown>> = [];
    const closed = new Promise<void>((resolve, reject) => {
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'start', params: { rounds: 2 } })));
    ws.on('message', (data) => {
      const event = JSON.parse(String(data));
      events.push(event);
      if (event.type === 'ask')
        ws.send(JSON.stringify({ type: 'answer', questionId: event.questionId, answer: 'the moon' }));
      if (event.type === 'choose')
        ws.send(JSON.stringify({ type: 'answer', questionId: event.questionId, answer: 'Next question' }));
    });
    await closed;
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['started', 'ask']);
    expect(events[1]?.prompt).toMatch(/subject/);
    expect(types.at(-1)).toBe('completed');
    const said = events.filter((event) => event.type === 'message').map((event) => event.text);
    expect(said).toHaveLength(4);
    expect(said[1]).toMatch(/^Teacher: .*384,000 km/);
    const detail = await conversation(String(events[0]?.conversationId));
    expect(detail.messages.some((m) => m.role === 'human' && m.content === 'the moon')).toBe(true);
  });

  it('serves the notes tools over MCP at /mcp to callers with a project key', async () => {
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${cli.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${keys.chatKey}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['create_note', 'delete_note', 'list_notes']);
      await client.callTool({ name: 'create_note', arguments: { title: 'Milk', content: 'buy two' } });
      const listed = await client.callTool({ name: 'list_notes', arguments: {} });
      expect(JSON.stringify(listed.content)).toContain('Milk: buy two');
    } finally {
      await client.close();
    }
  });

  it('refuses a read key or an ingest key with 403 naming the keys that may, and runs nothing', async () => {
    const post = (path: string, body: unknown) => ({
      path,
      init: { method: 'POST', body: JSON.stringify(body) },
    });
    const requests = [
      { path: '/agents', init: {} },
      { path: '/agents/notes', init: {} },
      post('/agents/notes/runs', { input: 'Create a note titled Refused: read keys cannot write' }),
      post('/workflows/student_teacher/runs', { params: { rounds: 1 } }),
      { path: '/workflows', init: {} },
      post('/v1/chat/completions', {
        model: 'calculator',
        messages: [{ role: 'user', content: 'what is 2 plus 2' }],
      }),
      post('/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    ];
    for (const [scope, key] of [
      ['read', keys.readKey],
      ['ingest', keys.ingestKey],
    ] as const) {
      for (const { path, init } of requests) {
        const res = await api(
          path,
          { ...init, headers: { accept: 'application/json, text/event-stream' } },
          key,
        );
        expect(res.status, `${scope} ${path}`).toBe(403);
        expect(await res.json(), `${scope} ${path}`).toEqual({
          error: {
            code: 'forbidden',
            message: `authorization: this is ${scope === 'read' ? 'a read' : 'an ingest'} key; this endpoint needs a chat or admin key`,
            issues: [{ path: 'authorization', message: 'needs a chat or admin key' }],
          },
        });
      }
    }
    // The WebSocket upgrade too.
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(
        `${cli.url.replace('http', 'ws')}/workflows/student_teacher/ws?key=${keys.readKey}`,
      );
      ws.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('open', () => reject(new Error('a read key opened the workflow WebSocket')));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(403);
    // Nothing ran: no note was created, no conversation tracked.
    const notes = await (
      await api('/agents/notes/runs', { method: 'POST', body: JSON.stringify({ input: 'List my notes' }) })
    ).json();
    expect(notes.output).not.toContain('Refused');
    const list = await (await api('/v1/conversations?search=Refused', {}, keys.readKey)).json();
    expect(list.data).toEqual([]);
  });

  it('lets the admin key (the dashboard link) run agents and a chat key read none of the data', async () => {
    const res = await api(
      '/agents/calculator/runs',
      { method: 'POST', body: JSON.stringify({ input: 'what is 6 times 7' }) },
      keys.adminKey,
    );
    expect(res.status).toBe(200);
    expect((await res.json()).output).toContain('42');
    const refused = await api('/v1/conversations', {}, keys.chatKey);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toBe(
      'authorization: this is a chat key; this endpoint needs a read or admin key',
    );
  });

  it("erases a served conversation's session and runs with it, then its customer's (the served user)", async () => {
    const run = await (
      await api('/agents/calculator/runs', {
        method: 'POST',
        body: JSON.stringify({ input: 'what is 3 times 5' }),
      })
    ).json();
    await conversation(run.conversationId);
    const erase = async (path: string) => {
      const res = await api(path, { method: 'DELETE' }, keys.adminKey);
      expect(res.status).toBe(200);
      return res.json();
    };
    const receipt = await erase(`/v1/conversations/${encodeURIComponent(run.conversationId)}`);
    expect(receipt.removed).toMatchObject({ conversations: 1, messages: 2 });
    expect(receipt.elsewhere).toMatchObject({ sessions: 1, pausedRuns: 0, runs: 1 });
    expect(receipt.elsewhere.sessionItems).toBeGreaterThanOrEqual(2);
    expect((await erase(`/v1/conversations/${encodeURIComponent(run.conversationId)}`)).elsewhere).toEqual({
      sessions: 0,
      sessionItems: 0,
      pausedRuns: 0,
      runs: 0,
      runEvents: 0,
    });
    // Every demo caller is the served user `local-user`, the customer of every served conversation.
    const customer = await erase('/v1/customers/local-user');
    expect(customer.removed.conversations).toBeGreaterThan(0);
    expect(customer.elsewhere.sessions).toBeGreaterThan(0);
    const left = await (await api('/v1/conversations?customerId=local-user', {}, keys.readKey)).json();
    expect(left.data).toEqual([]);
  });
});
