import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Runner } from '@openai/agents';
import { instrumentAgents, openSessionDatabase, uninstrumentAgents } from '@sightline/agents';
import { createRecordingTracker } from '@sightline/agents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotesApp } from './app.ts';
import { withNotesMcpAgent } from './mcp-notes-agent.ts';
import { NoteService } from './note-service.ts';
import { createNotesAgent } from './notes-agent.ts';

const USERS = {
  'alice-token': { userId: 'alice', userName: 'Alice' },
  'bob-token': { userId: 'bob', userName: 'Bob' },
} as const;

const service = new NoteService();
let server: ServerType;
let base: string;
const app = createNotesApp({
  agent: createNotesAgent({ service }),
  database: openSessionDatabase(':memory:'),
  service,
  authenticate: (token) => USERS[token as keyof typeof USERS],
  get mcpUrl() {
    return `${base}/mcp`;
  },
});

beforeAll(async () => {
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function post(path: string, body: unknown, token = 'alice-token') {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

describe('the notes app over HTTP', () => {
  it('POST /chat answers for the authenticated user', async () => {
    const response = await post('/chat', { message: 'Create a note titled Trip: book flights' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      response: "[demo model] Created note 'Trip' with ID 1",
      session_id: 'alice',
    });
  });

  it('answers 401 without a valid token, and 400 naming the field for a bad body', async () => {
    expect((await post('/chat', { message: 'hi' }, 'nobody')).status).toBe(401);
    const bad = await post('/chat', { message: '' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: 'message: must not be empty',
        issues: [{ path: 'message', message: 'must not be empty' }],
      },
    });
  });

  it('maps the guardrail tripwire to 400 with the reason', async () => {
    const response = await post('/chat', { message: 'save this: my password is hunter2' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toBe('Request blocked by input guardrail "no_secrets"');
    const streamed = await post('/chat/stream', { message: 'my password is hunter2' });
    expect(streamed.status).toBe(400);
  });

  it('POST /chat/stream sends SSE frames with ids: deltas, then the final answer', async () => {
    const response = await post('/chat/stream', { message: 'what is 2 plus 40?', session_id: 'math' });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const frames = (await response.text())
      .split('\n\n')
      .filter(Boolean)
      .map((frame) =>
        Object.fromEntries(
          frame.split('\n').map((line) => [line.split(': ')[0], line.slice(line.indexOf(': ') + 2)]),
        ),
      );
    expect(frames.map((frame) => frame.id)).toEqual(frames.map((_, index) => String(index)));
    const data = frames.map((frame) => JSON.parse(frame.data ?? 'null'));
    expect(data.at(-1)).toEqual({ done: true, final: '[demo model] 2 + 40 = 42', sessionId: 'math' });
    expect(
      data
        .slice(0, -1)
        .map((event) => event.delta)
        .join(''),
    ).toBe('[demo model] 2 + 40 = 42');
  });

  it("GET /sessions lists the user's own sessions only", async () => {
    await post('/chat', { message: 'hello', session_id: 'bob-private' }, 'bob-token');
    const response = await app.request('/sessions', { headers: { authorization: 'Bearer alice-token' } });
    const { sessions } = (await response.json()) as {
      sessions: Array<{ sessionId: string; userId: string }>;
    };
    expect(sessions.map((s) => s.sessionId).sort()).toEqual(['alice', 'math']);
    expect(sessions.every((s) => s.userId === 'alice')).toBe(true);
  });
});

describe('the MCP server mounted at /mcp, used through the SDK MCP client', () => {
  it('an agent with MCP tools creates and lists notes for the token user, traced as mcp and tool steps', async () => {
    const tracker = createRecordingTracker();
    instrumentAgents(tracker);
    try {
      const headers = { authorization: 'Bearer bob-token' };
      const created = await withNotesMcpAgent({ url: `${base}/mcp`, headers }, (agent) =>
        new Runner({ groupId: 'mcp-conversation' }).run(agent, 'Create a note titled Ideas: try MCP'),
      );
      expect(created.finalOutput).toMatch(/^\[demo model\] Created: Ideas \(ID \d+\)$/);
      expect(service.list('bob').map((note) => note.title)).toEqual(['Ideas']);
      const mcpSteps = tracker.stepsOf('mcp-conversation', 'mcp');
      expect(mcpSteps.length).toBeGreaterThanOrEqual(1); // the SDK lists an MCP server's tools per turn
      for (const step of mcpSteps) {
        expect(step).toMatchObject({ name: 'list tools: Notes MCP', output: ['create_note', 'list_notes'] });
        expect(tracker.ancestry(step)).toEqual(['mcp', 'agent', 'run']);
      }
      const [tool] = tracker.stepsOf('mcp-conversation', 'tool');
      expect(tool).toMatchObject({ name: 'create_note', input: { title: 'Ideas', content: 'try MCP' } });
      expect(tool?.metadata?.mcp).toMatchObject({ server: 'Notes MCP' });
    } finally {
      await uninstrumentAgents();
    }
  });

  it('POST /chat/mcp runs the MCP agent inside the user session', async () => {
    const response = await post('/chat/mcp', { message: 'list my notes' }, 'bob-token');
    expect(await response.json()).toEqual({ response: '[demo model] - Ideas', session_id: 'bob' });
  });
});
