/**
 * Tool calls served over MCP are tracked with no tracking code: the REAL tracker sends to the tracker's
 * fake collector; each call is a finished `tool` step in a conversation (source `mcp`, customer = the
 * user), by default the user's day, or the user's own conversation of the id the client names in
 * `_meta.conversationId`.
 */
import { createTracker, type Tracker } from '@sightline/tracker';
import { FakeCollector } from '@sightline/tracker/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_HEADERS } from '../../test/bad-mcp-requests.ts';
import { addTool, bearerUser, explodeTool } from '../../test/fixtures.ts';
import { serveMcp } from './mcp-routes.ts';

const collector = new FakeCollector();
let tracker: Tracker;

beforeAll(async () => {
  const endpoint = await collector.start();
  tracker = createTracker({ endpoint, apiKey: 'sl_ingest_test', flushIntervalMs: 50, exitHooks: false });
});
afterAll(async () => {
  await tracker.shutdown();
  await collector.stop();
});

function call(app: ReturnType<typeof serveMcp>, params: Record<string, unknown>) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params });
  return app.request('/mcp', { method: 'POST', headers: MCP_HEADERS, body });
}

describe('MCP tool calls are tracked', () => {
  it('as tool steps with arguments, result and errors, in the user day or the named conversation', async () => {
    const app = serveMcp({ tools: [addTool, explodeTool], getUser: bearerUser, tracker });
    expect((await call(app, { name: 'add', arguments: { a: 2, b: 3 } })).status).toBe(200);
    expect((await call(app, { name: 'explode', arguments: {} })).status).toBe(200);
    const named = { name: 'add', arguments: { a: 1, b: 1 }, _meta: { conversationId: 'chat-9' } };
    expect((await call(app, named)).status).toBe(200);
    expect(await tracker.flush({ timeoutMs: 2000 })).toMatchObject({ ok: true });

    const day = `alice:mcp-${new Date().toISOString().slice(0, 10)}`;
    const steps = collector.eventsOf(day).filter((event) => event.type === 'step');
    expect(steps.map((event) => event.body)).toMatchObject([
      { type: 'tool', name: 'add', input: { a: 2, b: 3 }, output: '5', customerId: 'alice', source: 'mcp' },
      // The error the client was answered with (the tool's own message stays on the server).
      { type: 'tool', name: 'explode', error: { message: expect.stringContaining('error occurred') } },
    ]);
    // The named conversation is the caller's own (as agent runs'): `alice:chat-9`.
    expect(collector.eventsOf('chat-9')).toEqual([]);
    expect(collector.eventsOf('alice:chat-9').map((event) => event.body)).toMatchObject([
      { type: 'tool', name: 'add', output: '2' },
    ]);
  });

  it('tracks nothing without a tracker, and a tracker that fails does not change the answer', async () => {
    const broken = {
      conversation: () => {
        throw new Error('tracker down');
      },
    } as unknown as Tracker;
    const app = serveMcp({ tools: [addTool], getUser: bearerUser, tracker: broken });
    const response = await call(app, { name: 'add', arguments: { a: 4, b: 4 } });
    expect(await response.json()).toMatchObject({ result: { content: [{ type: 'text', text: '8' }] } });
  });
});
