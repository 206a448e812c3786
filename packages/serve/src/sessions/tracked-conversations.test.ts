/**
 * Issue 11, defect 2: a served run's tracked conversation belongs to its user. Users choosing the same
 * conversation id get one tracked conversation each (`<user>:<id>`) holding only their own turns, with
 * themselves as customer, and the collector's per-customer usage and cost add up to their own runs: agent
 * runs over JSON and SSE, `/v1/chat/completions`, workflows and MCP tool calls. Checked through the REAL
 * collector's query API (what the dashboard reads), fed by the real tracker and `instrumentAgents`.
 */
import { instrumentAgents, uninstrumentAgents } from '@sightline/agents';
import type { ConversationDetail } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_HEADERS } from '../../test/bad-mcp-requests.ts';
import { addTool } from '../../test/fixtures.ts';
import { DEMO_PRICE, type RealCollector, startRealCollector } from '../../test/real-collector.ts';
import {
  chatAgent,
  complete,
  greeting,
  headerUser,
  runJson,
  runSse,
  TokenLedger,
  type Tokens,
} from '../../test/tracked-runs.ts';
import { type AgentsRouter, serveAgents } from '../agents/agent-routes.ts';
import { type McpRouter, serveMcp } from '../mcp/mcp-routes.ts';
import { serveWorkflows, type WorkflowsRouter } from '../workflows/workflow-routes.ts';

let collector: RealCollector;
let agents: AgentsRouter;
let anonymous: AgentsRouter;
let workflows: WorkflowsRouter;
let mcp: McpRouter;

beforeAll(async () => {
  collector = await startRealCollector();
  const { tracker } = collector;
  instrumentAgents(tracker);
  agents = serveAgents({ agents: [chatAgent()], getUser: headerUser, tracker });
  anonymous = serveAgents({ agents: [chatAgent()], tracker });
  workflows = serveWorkflows({ workflows: [greeting], getUser: headerUser, tracker });
  mcp = serveMcp({ tools: [addTool], getUser: headerUser, tracker });
});
afterAll(async () => {
  await Promise.all([agents.close(), anonymous.close(), workflows.close()]);
  await uninstrumentAgents();
  await collector.close();
});

/** The conversation once the collector holds `messages` messages in it. */
async function settled(id: string, messages: number): Promise<ConversationDetail> {
  await collector.tracker.flush();
  await expect.poll(async () => (await collector.conversation(id))?.messages.length).toBe(messages);
  return (await collector.conversation(id)) as ConversationDetail;
}

function said(detail: ConversationDetail, role: 'human' | 'agent'): string[] {
  return detail.messages.filter((message) => message.role === role).map((message) => message.content);
}

/** The customers API's usage of `user` is exactly `tokens`, priced at the demo model's price. */
async function expectCustomer(user: string, tokens: Tokens, conversations: number): Promise<void> {
  const customer = (await collector.customers()).find((summary) => summary.customerId === user);
  expect(customer, user).toMatchObject({
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    conversations,
  });
  const cost = tokens.input * DEMO_PRICE.input + tokens.output * DEMO_PRICE.output;
  expect(customer?.costUsd, user).toBeCloseTo(cost, 6);
}

async function callAdd(user: string, conversationId: string): Promise<void> {
  const params = { name: 'add', arguments: { a: 2, b: 3 }, _meta: { conversationId } };
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params });
  const response = await mcp.request('/mcp', {
    method: 'POST',
    headers: { ...MCP_HEADERS, 'x-user': user },
    body,
  });
  expect(response.status).toBe(200);
}

async function greet(user: string, conversationId: string): Promise<void> {
  const run = workflows.workflowRuns.start({
    name: 'greeting',
    params: {},
    user: { id: user },
    userId: user,
    conversationId,
  });
  await run.done;
  expect(run.status).toBe('completed');
}

describe('two users choosing one conversation id', () => {
  it('each get their own tracked conversation, customer and cost: JSON, SSE, completions, workflow, MCP', async () => {
    const ledger = new TokenLedger();
    for (const user of ['alice', 'bob']) {
      const json = await runJson(agents, user, { input: `${user} over JSON`, conversationId: 'shared' });
      expect(json.outcome).toMatchObject({
        conversationId: 'shared',
        trackedConversationId: `${user}:shared`,
      });
      ledger.add(user, json.tokens);
      ledger.add(user, (await runSse(agents, user, 'shared', `${user} over SSE, a longer question`)).tokens);
      ledger.add(user, await complete(agents, user, 'shared', `${user} through chat completions`));
      await greet(user, 'shared');
      await callAdd(user, 'shared');
    }
    for (const [user, other] of [
      ['alice', 'bob'],
      ['bob', 'alice'],
    ] as const) {
      // 3 agent runs (a question and an answer each), the greeting and the workflow's result.
      const detail = await settled(`${user}:shared`, 8);
      expect(detail.conversation.customerId).toBe(user);
      expect(said(detail, 'human')).toEqual([
        `${user} over JSON`,
        `${user} over SSE, a longer question`,
        `${user} through chat completions`,
      ]);
      expect(said(detail, 'agent')).toContain(`hello ${user}`);
      expect(JSON.stringify(detail)).not.toContain(other);
      expect(detail.steps.filter((step) => step.type === 'tool').map((step) => step.name)).toEqual(['add']);
      const tokens = ledger.of(user);
      expect(tokens.input).toBeGreaterThan(0);
      expect(detail.totals).toMatchObject({ inputTokens: tokens.input, outputTokens: tokens.output });
      await expectCustomer(user, tokens, 1);
    }
    // Nobody's conversation is tracked under the bare id.
    expect(await collector.conversation('shared')).toBeUndefined();
  });

  it('keeps a conversation the server created in its user namespace, and tracked under that same id', async () => {
    const first = await runJson(agents, 'carol', { input: 'carol starts' });
    const id = first.outcome.conversationId;
    expect(id).toMatch(/^carol:[0-9a-f-]{36}$/);
    expect(first.outcome.trackedConversationId).toBe(id);
    const second = await runJson(agents, 'carol', { input: 'carol goes on', conversationId: id });
    expect(second.outcome.trackedConversationId).toBe(id);
    const detail = await settled(id, 4);
    expect(said(detail, 'human')).toEqual(['carol starts', 'carol goes on']);
    expect(detail.conversation.customerId).toBe('carol');
  });
});

describe('fifty users choosing one conversation id at once', () => {
  it('get fifty conversations, each with only its own turns, customer and usage', async () => {
    const users = Array.from({ length: 50 }, (_, index) => `user-${index}`);
    const ledger = new TokenLedger();
    await Promise.all(
      users.flatMap((user) => [
        runJson(agents, user, { input: `${user} asks over JSON`, conversationId: 'crowd' }).then((run) =>
          ledger.add(user, run.tokens),
        ),
        runSse(agents, user, 'crowd', `${user} asks over SSE`).then((run) => ledger.add(user, run.tokens)),
      ]),
    );
    for (const user of users) {
      const detail = await settled(`${user}:crowd`, 4);
      expect(detail.conversation.customerId).toBe(user);
      expect(said(detail, 'human').sort()).toEqual([`${user} asks over JSON`, `${user} asks over SSE`]);
      await expectCustomer(user, ledger.of(user), 1);
    }
    expect(await collector.conversation('crowd')).toBeUndefined();
  });
});

describe('without getUser (one default user)', () => {
  it('tracks the plain conversation id, with the customer the request names', async () => {
    const run = await runJson(anonymous, undefined, {
      input: 'a single-user app asks',
      conversationId: 'plain-7',
      customerId: 'cust-7',
    });
    expect(run.outcome).toMatchObject({ conversationId: 'plain-7', trackedConversationId: 'plain-7' });
    const detail = await settled('plain-7', 2);
    expect(detail.conversation.customerId).toBe('cust-7');
    const fresh = await runJson(anonymous, undefined, { input: 'no id given' });
    expect(fresh.outcome.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.outcome.trackedConversationId).toBe(fresh.outcome.conversationId);
  });
});
