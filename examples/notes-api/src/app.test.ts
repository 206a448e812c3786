/**
 * The notes API over real HTTP (listenNode on port 0) with the offline demo model: JSON and SSE runs, the
 * user reaching the tools, the guardrail's 400, the MCP server through the MCP SDK's client, and
 * conversations that survive a restart on the same SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  type StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Model, ModelRequest } from '@openai/agents';
import { closeSessionDatabases, demoModel } from '@sightline/agents';
import { listenNode, type NodeListener } from '@sightline/serve/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNotesApi, type NotesApi } from './app.ts';

const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };
const bob = { authorization: 'Bearer bob-token', 'content-type': 'application/json' };

/** The demo model, remembering the input of every call (to see the history a run was given). */
class RecordingModel implements Model {
  readonly inputs: string[] = [];
  readonly #inner = demoModel();
  getResponse(request: ModelRequest) {
    this.inputs.push(JSON.stringify(request.input));
    return this.#inner.getResponse(request);
  }
  getStreamedResponse(request: ModelRequest) {
    this.inputs.push(JSON.stringify(request.input));
    return this.#inner.getStreamedResponse(request);
  }
}

const directory = mkdtempSync(join(tmpdir(), 'notes-api-'));
const running: Array<{ api: NotesApi; server: NodeListener }> = [];

async function start(file: string, model: Model = demoModel()): Promise<string> {
  const api = createNotesApi({ database: join(directory, file), model });
  const server = await listenNode(api.app, { port: 0, host: '127.0.0.1', shutdownGraceMs: 200 });
  running.push({ api, server });
  return server.url;
}

/** Stops every running app and closes the SQLite files, as a process exit would. */
async function stopAll(): Promise<void> {
  for (const { api, server } of running.splice(0)) {
    await server.close();
    await api.close();
  }
  closeSessionDatabases();
}

afterAll(async () => {
  await stopAll();
  rmSync(directory, { recursive: true, force: true });
});

interface RunBody {
  status: string;
  output: string;
  conversationId: string;
}

async function run(base: string, input: string, headers = alice, conversationId?: string) {
  const response = await fetch(`${base}/agents/notes/runs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ input, ...(conversationId ? { conversationId } : {}) }),
  });
  return {
    status: response.status,
    body: (await response.json()) as RunBody & { error?: { message: string } },
  };
}

describe('the notes agent over HTTP', () => {
  let base = '';
  beforeAll(async () => {
    base = await start('agent.db');
  });

  it('answers a JSON run, with the user reaching the tools through the run context', async () => {
    const added = await run(base, 'Add a note titled Groceries: milk and eggs');
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      status: 'completed',
      output: '[demo model] Added note 1 "Groceries" for Alice.',
    });
    expect(added.body.conversationId).toEqual(expect.any(String));
    expect((await run(base, 'list my notes')).body.output).toBe(
      "[demo model] Alice's notes:\n- [1] Groceries: milk and eggs",
    );
    // Bob's tools see Bob: none of Alice's notes.
    expect((await run(base, 'list my notes', bob)).body.output).toBe('[demo model] Bob has no notes yet.');
    expect((await run(base, 'list my notes', { ...alice, authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('streams a run over SSE: the tool call, its output and the text', async () => {
    await run(base, 'Add a note titled Garden: buy tomato seeds');
    const response = await fetch(`${base}/agents/notes/runs`, {
      method: 'POST',
      headers: { ...alice, accept: 'text/event-stream' },
      body: JSON.stringify({ input: 'search notes for tomato' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const chunks = (await response.text())
      .split('\n\n')
      .map((block) => /^data: (.*)$/m.exec(block)?.[1])
      .filter((data): data is string => data !== undefined && data !== '[DONE]')
      .map((data) => JSON.parse(data) as { type: string; [key: string]: unknown });
    expect(chunks.find((chunk) => chunk.type === 'tool-input-available')).toMatchObject({
      toolName: 'search_notes',
    });
    expect(chunks.find((chunk) => chunk.type === 'tool-output-available')?.output).toContain(
      'Garden: buy tomato seeds',
    );
    const text = chunks
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => chunk.delta)
      .join('');
    expect(text).toBe("[demo model] Alice's notes:\n- [2] Garden: buy tomato seeds");
  });

  it('answers the guardrail tripwire with 400 and its reason, storing nothing', async () => {
    const before = (await run(base, 'list my notes')).body.output;
    const refused = await run(base, 'Add a note: my password is hunter2');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain(
      'the message contains a password; notes must not hold secrets',
    );
    expect((await run(base, 'list my notes')).body.output).toBe(before);
  });
});

describe('the notes tools over MCP', () => {
  let base = '';
  const clients: Client[] = [];
  beforeAll(async () => {
    base = await start('mcp.db');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: 'notes-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  it('lists and calls the same tools as the agent, for the authenticated user only', async () => {
    const bobClient = await connect('bob-token');
    expect(bobClient.getServerVersion()?.name).toBe('notes');
    const { tools } = await bobClient.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['add_note', 'list_notes', 'search_notes']);
    expect(tools[0]?.inputSchema.required).toEqual(['title', 'content']);
    const added = await bobClient.callTool({
      name: 'add_note',
      arguments: { title: 'Bike', content: 'fix the back tyre' },
    });
    expect(added.content).toEqual([{ type: 'text', text: 'Added note 1 "Bike" for Bob.' }]);
    const found = await bobClient.callTool({ name: 'search_notes', arguments: { query: 'tyre' } });
    expect(found.content).toEqual([{ type: 'text', text: "Bob's notes:\n- [1] Bike: fix the back tyre" }]);
    // The agent sees what MCP added, for Bob only.
    expect((await run(base, 'list my notes', bob)).body.output).toContain('Bike: fix the back tyre');
    const aliceClient = await connect('alice-token');
    expect((await aliceClient.callTool({ name: 'list_notes', arguments: {} })).content).toEqual([
      { type: 'text', text: 'Alice has no notes yet.' },
    ]);
  });

  it('refuses a client without a valid token, and bad arguments as a tool error', async () => {
    const refused = await connect('stolen-token').catch((error: unknown) => error);
    expect((refused as StreamableHTTPError).code).toBe(401);
    const client = await connect('alice-token');
    const bad = await client.callTool({ name: 'add_note', arguments: { title: '' } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/content/);
  });
});

describe('conversations in SQLite', () => {
  it('keeps a conversation across a restart of the app on the same file, per user', async () => {
    const first = await start('restart.db');
    const opened = await run(first, 'Add a note titled Trip: book the train', alice, 'trip-planning');
    expect(opened.body.conversationId).toBe('trip-planning');
    await stopAll();

    const model = new RecordingModel();
    const second = await start('restart.db', model);
    const next = await run(second, 'list my notes', alice, 'trip-planning');
    expect(next.body.output).toBe("[demo model] Alice's notes:\n- [1] Trip: book the train");
    // The model was given the conversation from before the restart.
    expect(model.inputs[0]).toContain('Add a note titled Trip: book the train');

    const transcript = await fetch(`${second}/conversations/trip-planning`, { headers: alice });
    const { transcript: entries } = (await transcript.json()) as {
      transcript: Array<Record<string, string>>;
    };
    expect(entries.filter((entry) => entry.role === 'user').map((entry) => entry.text)).toEqual([
      'Add a note titled Trip: book the train',
      'list my notes',
    ]);
    expect(entries.filter((entry) => entry.tool).map((entry) => entry.tool)).toEqual([
      'add_note',
      'list_notes',
    ]);
    const listed = await fetch(`${second}/conversations`, { headers: alice });
    expect(((await listed.json()) as { conversations: Array<{ sessionId: string }> }).conversations).toEqual([
      expect.objectContaining({ sessionId: 'trip-planning' }),
    ]);
    // Bob has no such conversation, even with its id.
    expect((await fetch(`${second}/conversations/trip-planning`, { headers: bob })).status).toBe(404);
  });
});
