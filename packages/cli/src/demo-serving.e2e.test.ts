/**
 * `sightline start` serves the demo agents and the student/teacher workflow next to the collector, and
 * every served run lands in the collector with no tracking code (real process, real HTTP and WebSocket).
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
let readKey: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sightline-serving-'));
  cli = await startCli({ cwd: dir, env: { OPENAI_API_KEY: '' } });
  readKey = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8')).readKey;
}, 60_000);

afterAll(async () => {
  await cli?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${cli.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${readKey}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function conversation(id: string): Promise<{ messages: Array<{ role: string; content: string }> }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const res = await api(`/v1/conversations/${id}`);
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
    const ws = new WebSocket(`${cli.url.replace('http', 'ws')}/workflows/student_teacher/ws?key=${readKey}`);
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
        requestInit: { headers: { authorization: `Bearer ${readKey}` } },
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
});
