import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  defineToolInputGuardrail,
  defineToolOutputGuardrail,
  type RunContext,
  ToolGuardrailFunctionOutputFactory,
  tool,
} from '@openai/agents';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addTool, bearerUser, explodeTool, type TestUser } from '../../test/fixtures.ts';
import { serveMcp } from './mcp-routes.ts';

const whoami = tool({
  name: 'whoami',
  description: 'Say who is calling.',
  parameters: z.object({ greeting: z.string().default('Hello') }),
  execute: async ({ greeting }, context?: RunContext<TestUser>) =>
    `${greeting}, ${context?.context.userName ?? 'nobody'}`,
});
const explain = tool({
  name: 'explain_failure',
  description: 'Fails with a message for the model.',
  parameters: z.object({}),
  execute: async () => {
    throw new Error('note 7 does not exist');
  },
  errorFunction: (_context, error) => `Could not do it: ${(error as Error).message}`,
});
const slow = tool({
  name: 'slow',
  description: 'Takes too long.',
  parameters: z.object({}),
  timeoutMs: 30,
  execute: async (_input, _context, details) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000).unref());
    return details?.signal?.aborted ? 'aborted' : 'finished';
  },
});
const wipe = tool({
  name: 'wipe',
  description: 'Deletes everything; a person must approve.',
  parameters: z.object({}),
  needsApproval: true,
  execute: async () => 'wiped',
});
const adminReport = tool({
  name: 'admin_report',
  description: 'Only for Alice.',
  parameters: z.object({}),
  isEnabled: ({ runContext }) => (runContext.context as TestUser).userId === 'alice',
  execute: async () => 'secret numbers',
});
const picture = tool({
  name: 'picture',
  description: 'Returns an image.',
  parameters: z.object({}),
  execute: async () => ({ type: 'image' as const, image: { data: 'aGVsbG8=', mediaType: 'image/gif' } }),
});

const echo = tool({
  name: 'echo',
  description: 'Repeats a text; its guardrails refuse secrets in and leaked tokens out.',
  parameters: z.object({ text: z.string() }),
  inputGuardrails: [
    defineToolInputGuardrail({
      name: 'no_passwords',
      run: async ({ toolCall }) =>
        toolCall.arguments.includes('password')
          ? ToolGuardrailFunctionOutputFactory.rejectContent('passwords are not echoed')
          : ToolGuardrailFunctionOutputFactory.allow(),
    }),
  ],
  outputGuardrails: [
    defineToolOutputGuardrail({
      name: 'no_tokens',
      run: async ({ output }) =>
        String(output).includes('tok_')
          ? ToolGuardrailFunctionOutputFactory.rejectContent('the output held a token')
          : ToolGuardrailFunctionOutputFactory.allow(),
    }),
  ],
  execute: async ({ text }) => text,
});

const tools = [whoami, addTool, explodeTool, explain, slow, wipe, adminReport, picture, echo];
let server: ServerType;
let base = '';
const clients: Client[] = [];

function start(app: Hono): Promise<string> {
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  return new Promise((resolve) =>
    server.once('listening', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  const app = new Hono();
  app.route('/', serveMcp({ tools, getUser: bearerUser, name: 'test-tools', version: '1.2.3' }));
  app.route(
    '/scoped',
    serveMcp({ tools: [whoami], path: '/tools', getUser: bearerUser, approvals: 'allow' }),
  );
  app.route(
    '/ctx',
    serveMcp({
      tools: [whoami, wipe],
      getUser: bearerUser,
      approvals: 'allow',
      context: ({ user }) => ({
        ...(user as TestUser),
        userName: `${(user as TestUser).userName} (via MCP)`,
      }),
    }),
  );
  base = await start(app);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function connect(token = 'alice-token', path = '/mcp'): Promise<Client> {
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}${path}`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as Array<{ type: string; text?: string }>).map((part) => part.text ?? '').join('');
}

describe('serveMcp over Streamable HTTP', () => {
  it('announces itself and lists the tools enabled for the user, with their JSON schemas', async () => {
    const alice = await connect();
    expect(alice.getServerVersion()).toMatchObject({ name: 'test-tools', version: '1.2.3' });
    const { tools: listed } = await alice.listTools();
    expect(listed.map((t) => t.name)).toEqual([
      'whoami',
      'add',
      'explode',
      'explain_failure',
      'slow',
      'wipe',
      'admin_report',
      'picture',
      'echo',
    ]);
    const addTool = listed.find((t) => t.name === 'add');
    expect(addTool?.description).toBe('Add two numbers.');
    expect(addTool?.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
    const bob = await connect('bob-token');
    expect((await bob.listTools()).tools.map((t) => t.name)).not.toContain('admin_report');
  });

  it('calls a tool with the authenticated user as its run context', async () => {
    const alice = await connect();
    const result = await alice.callTool({ name: 'whoami', arguments: { greeting: 'Hi' } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('Hi, Alice');
    const bob = await connect('bob-token');
    expect(textOf(await bob.callTool({ name: 'whoami', arguments: { greeting: 'Hey' } }))).toBe('Hey, Bob');
    expect(textOf(await alice.callTool({ name: 'add', arguments: { a: 2, b: 40 } }))).toBe('42');
  });

  it('uses the context hook when given, and mounts under another path', async () => {
    const viaHook = await connect('bob-token', '/ctx/mcp');
    expect(textOf(await viaHook.callTool({ name: 'whoami', arguments: { greeting: 'Yo' } }))).toBe(
      'Yo, Bob (via MCP)',
    );
    const scoped = await connect('alice-token', '/scoped/tools');
    expect((await scoped.listTools()).tools.map((t) => t.name)).toEqual(['whoami']);
  });

  it('refuses a caller without a user with 401, before any MCP exchange', async () => {
    const error = await connect('wrong-token').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(401);
    const raw = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(raw.status).toBe(401);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('turns a failing tool into a tool error and keeps serving', async () => {
    const alice = await connect();
    const failed = await alice.callTool({ name: 'explode', arguments: {} });
    expect(failed.isError).toBe(true);
    // The SDK's default error function does not leak the exception text.
    expect(textOf(failed)).not.toContain('on fire');
    const explained = await alice.callTool({ name: 'explain_failure', arguments: {} });
    expect(explained).toMatchObject({ isError: true });
    expect(textOf(explained)).toBe('Could not do it: note 7 does not exist');
    const timedOut = await alice.callTool({ name: 'slow', arguments: {} });
    expect(timedOut.isError).toBe(true);
    expect(textOf(timedOut)).toMatch(/timed out after 30ms/);
    expect(textOf(await alice.callTool({ name: 'add', arguments: { a: 1, b: 1 } }))).toBe('2');
  });

  it('answers bad arguments, unknown and disabled tools with tool errors naming the problem', async () => {
    const alice = await connect();
    const bad = await alice.callTool({ name: 'add', arguments: { a: 'two' } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/invalid arguments for tool "add": .*arguments\/a must be number/);
    expect(textOf(bad)).toMatch(/must have required property 'b'/);
    const unknown = await alice.callTool({ name: 'nope', arguments: {} });
    expect(unknown).toMatchObject({ isError: true });
    expect(textOf(unknown)).toMatch(/no tool named "nope"/);
    const bob = await connect('bob-token');
    const hidden = await bob.callTool({ name: 'admin_report', arguments: {} });
    expect(hidden.isError).toBe(true);
    expect(textOf(hidden)).not.toContain('secret');
  });

  it('refuses tools that need approval unless approvals are allowed', async () => {
    const alice = await connect();
    const refused = await alice.callTool({ name: 'wipe', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/needs a person's approval/);
    const allowed = await connect('alice-token', '/ctx/mcp');
    expect(textOf(await allowed.callTool({ name: 'wipe', arguments: {} }))).toBe('wiped');
  });

  it("applies the tool's own input and output guardrails", async () => {
    const alice = await connect();
    expect(await alice.callTool({ name: 'echo', arguments: { text: 'hello' } })).toMatchObject({
      content: [{ type: 'text', text: 'hello' }],
    });
    const blockedIn = await alice.callTool({ name: 'echo', arguments: { text: 'my password' } });
    expect(blockedIn).toMatchObject({ isError: true, content: [{ text: 'passwords are not echoed' }] });
    const blockedOut = await alice.callTool({ name: 'echo', arguments: { text: 'tok_123' } });
    expect(blockedOut).toMatchObject({ isError: true, content: [{ text: 'the output held a token' }] });
  });

  it('returns image outputs as MCP images', async () => {
    const alice = await connect();
    const result = await alice.callTool({ name: 'picture', arguments: {} });
    expect(result.content).toEqual([{ type: 'image', data: 'aGVsbG8=', mimeType: 'image/gif' }]);
  });

  it('answers malformed JSON-RPC with 4xx JSON-RPC errors, and GET/DELETE with 405', async () => {
    const headers = {
      authorization: 'Bearer alice-token',
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const post = (body: string) => fetch(`${base}/mcp`, { method: 'POST', headers, body });
    const notJson = await post('{"jsonrpc":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
    const notRpc = await post(JSON.stringify({ hello: 'world' }));
    expect(notRpc.status).toBe(400);
    expect(await notRpc.json()).toMatchObject({ error: { code: -32700 } });
    const unknownMethod = await post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/teleport' }));
    expect(await unknownMethod.json()).toMatchObject({ id: 7, error: { code: -32601 } });
    const wrongType = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(wrongType.status).toBe(415);
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${base}/mcp`, { method, headers });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('refuses a body over the size limit with 413', async () => {
    const app = new Hono();
    app.route('/', serveMcp({ tools: [addTool], maxBodyBytes: 200 }));
    const response = await app.request('/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(500) } }),
    });
    expect(response.status).toBe(413);
  });

  it('refuses tools it cannot serve when created', () => {
    expect(() => serveMcp({ tools: [addTool, addTool] })).toThrow(/two tools are named "add"/);
  });
});
