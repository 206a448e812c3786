/**
 * Two serving nodes (two `serveAgents` routers, each with its own pool) on one PostgreSQL: a conversation
 * started on one continues on the other with its memory, and a run paused for approval on one is answered
 * on the other. The schema also holds the collector's tables, as with `sightline start` on PostgreSQL.
 */
import {
  Agent,
  type AgentInputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
  Usage,
} from '@openai/agents';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerUser, calculatorAgent } from '../../test/fixtures.ts';
import { postgresKind } from '../../test/session-stores.ts';
import { type AgentsRouter, serveAgents } from '../agents/agent-routes.ts';
import type { RunOutcome } from '../agents/live-run.ts';

const postgres = postgresKind();
const routers: AgentsRouter[] = [];
afterEach(async () => {
  await Promise.all(routers.splice(0).map((router) => router.close()));
});

/** A model that answers with everything the user said in the conversation, so its memory shows. */
class RecallModel implements Model {
  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const said = userTexts(request.input);
    return {
      usage: new Usage(),
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: `You said: ${said.join(' | ')}` }],
        },
      ],
    };
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const response = await this.getResponse(request);
    yield {
      type: 'response_done',
      response: {
        id: 'recall',
        usage: { requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        output: response.output,
      },
    } as StreamEvent;
  }
}

function userTexts(input: string | AgentInputItem[]): string[] {
  if (typeof input === 'string') return [input];
  return input.flatMap((item) =>
    'role' in item && item.role === 'user' && typeof item.content === 'string' ? [item.content] : [],
  );
}

async function twoNodes(agent: () => Agent): Promise<[AgentsRouter, AgentsRouter]> {
  const nodes = await Promise.all(
    [0, 1].map(async () =>
      serveAgents({
        agents: [agent()],
        sessions: await postgres.open('nodes'),
        getUser: bearerUser,
        tracker: false,
      }),
    ),
  );
  routers.push(...nodes);
  return nodes as [AgentsRouter, AgentsRouter];
}

async function post(node: AgentsRouter, path: string, body: unknown, token = 'alice-token') {
  const response = await node.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, outcome: (await response.json()) as RunOutcome };
}

describe('serving nodes sharing PostgreSQL sessions', () => {
  it('continues a conversation on another node, remembering what was said on the first', async () => {
    const [a, b] = await twoNodes(
      () => new Agent({ name: 'recall', instructions: 'Recall.', model: new RecallModel() }),
    );
    const first = await post(a, '/agents/recall/runs', { input: 'my name is Ada' });
    expect(first.outcome.output).toBe('You said: my name is Ada');
    const { conversationId } = first.outcome;
    const second = await post(b, '/agents/recall/runs', { input: 'what is my name?', conversationId });
    expect(second.status).toBe(200);
    expect(second.outcome.output).toBe('You said: my name is Ada | what is my name?');
    const third = await post(a, '/agents/recall/runs', { input: 'thanks', conversationId });
    expect(third.outcome.output).toBe('You said: my name is Ada | what is my name? | thanks');
    // Another user naming the same conversation id on either node gets a conversation of their own.
    const bob = await post(b, '/agents/recall/runs', { input: 'hello', conversationId }, 'bob-token');
    expect(bob.outcome.output).toBe('You said: hello');
  });

  it('answers on node B an approval asked on node A; the conversation is busy on both until then', async () => {
    const [a, b] = await twoNodes(() => calculatorAgent());
    const paused = (await post(a, '/agents/calculator/runs', { input: 'what is 6 * 7' })).outcome;
    expect(paused.status).toBe('awaiting_approval');
    const { conversationId, runId } = paused;
    expect((await post(b, '/agents/calculator/runs', { input: 'hi', conversationId })).status).toBe(409);
    const approvals = [{ approvalId: paused.approvals?.[0]?.approvalId, approved: true }];
    const done = await post(b, `/agents/calculator/runs/${runId}/approvals`, { approvals });
    expect(done.status).toBe(200);
    expect(done.outcome).toMatchObject({
      runId,
      status: 'completed',
      output: '[demo model] The answer is 42.',
    });
    // Answered once, on B: A can no longer answer it, and the conversation goes on from A.
    expect((await post(a, `/agents/calculator/runs/${runId}/approvals`, { approvals })).status).toBe(409);
    const next = await post(a, '/agents/calculator/runs', { input: 'what is 1 + 1', conversationId });
    expect(next.outcome.status).toBe('completed');
    const history = await (await postgres.open('nodes')).session(conversationId, 'alice').getItems();
    expect(history.map((item) => ('role' in item ? item.role : item.type))).toEqual([
      'user',
      'function_call',
      'function_call_result',
      'assistant',
      'user',
      'function_call',
      'function_call_result',
      'assistant',
    ]);
  });

  it('lets exactly one node resume a run both are asked to resume at once', async () => {
    const [a, b] = await twoNodes(() => calculatorAgent());
    for (let round = 0; round < 3; round += 1) {
      const paused = (await post(a, '/agents/calculator/runs', { input: `what is ${round} * 3` })).outcome;
      const approvals = [{ approvalId: paused.approvals?.[0]?.approvalId, approved: true }];
      const path = `/agents/calculator/runs/${paused.runId}/approvals`;
      const answers = await Promise.all([post(a, path, { approvals }), post(b, path, { approvals })]);
      // The other is refused: 409 while the run is claimed, 404 once it is gone (on the node without it).
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses[0]).toBe(200);
      expect([404, 409]).toContain(statuses[1]);
      const items = await (await postgres.open('nodes')).session(paused.conversationId, 'alice').getItems();
      expect(items).toHaveLength(4);
    }
  });
});
