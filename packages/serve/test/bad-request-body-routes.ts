/**
 * The bad requests of the routes of `serveAgents` that take a JSON body (runs as JSON and as SSE,
 * approvals, chat completions): at least 100 per route, built from the families of bad-request-cases.ts.
 */
import { expect } from 'vitest';
import {
  authCases,
  contentTypeCases,
  fieldCases,
  JSON_TYPE,
  malformedJsonCases,
  SSE,
  shapeCases,
  UNKNOWN_NAMES,
  UNKNOWN_RUN_IDS,
  unknownAgentCases,
  unknownKeyCases,
} from './bad-request-cases.ts';
import { ALICE_JSON, BOB, type RouteCases, type RouteContext } from './bad-request-routes.ts';
import { chunksOf, parseSse } from './fixtures.ts';

const runBody = { input: 'what is 1 + 1' };
const transportBody = {
  id: 'chat-bad',
  messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'what is 1 + 1' }] }],
  trigger: 'submit-message',
};
const completionBody = { model: 'calculator', messages: [{ role: 'user', content: 'what is 1 + 1' }] };
const idValues = ['', 123, true, {}, [], null, 'x'.repeat(257), 'a\u0000b', 'a\nb', 'tab\there'];
/** POST runs (JSON and SSE), POST approvals, POST /v1/chat/completions. */
export function routesWithBody(ctx: RouteContext): Record<string, RouteCases> {
  return {
    'POST /agents/:name/runs (JSON)': {
      cases: () => {
        const base = { method: 'POST', path: '/agents/calculator/runs', headers: ALICE_JSON };
        const valid = { ...base, body: JSON.stringify(runBody) };
        return [
          ...authCases({ ...valid, headers: JSON_TYPE }, 10, 20),
          ...unknownAgentCases({ ...valid, path: '/agents/{name}/runs' }, 8),
          ...contentTypeCases(valid),
          ...malformedJsonCases(base),
          ...['null', '1', '"hi"', 'true', '[]', '[{"input":"hi"}]'].map((body) => ({
            ...base,
            label: `body ${body}`,
            body,
            status: 400,
          })),
          ...fieldCases(base, runBody, 'input', [
            undefined,
            42,
            true,
            null,
            {},
            [],
            [1],
            ['hi'],
            [{ role: 'bot', content: 'hi' }],
            [{ role: 'user' }],
            [{ role: 'user', content: 5 }],
            [{ content: 'hi' }],
            '',
            'x'.repeat(100_001),
            Array.from({ length: 501 }, () => ({ role: 'user', content: 'hi' })),
            [{ role: 'user', content: 'x'.repeat(100_001) }],
          ]),
          ...fieldCases(base, runBody, 'conversationId', idValues),
          ...fieldCases(base, runBody, 'customerId', idValues.slice(0, 7)),
          ...fieldCases(base, runBody, 'context', ['str', 1, [], true, null, ['a']]),
          ...unknownKeyCases(base, runBody, [
            'extra',
            'Input',
            'inputs',
            'conversation_id',
            'stream',
            'agent',
            'model',
          ]),
          ...shapeCases(base, runBody, { deep: 'context', proto: 'context', big: 'input' }),
          {
            ...base,
            label: 'conversation waiting for approval',
            body: JSON.stringify({ input: 'hi', conversationId: ctx.runs.paused.conversationId }),
            status: 409,
            names: ctx.runs.paused.runId,
          },
        ];
      },
      good: async () => {
        expect(await ctx.start('calculator', 'what is 4 + 4')).toMatchObject({
          output: '[demo model] The answer is 8.',
        });
      },
    },
    'POST /agents/:name/runs (SSE)': {
      cases: () => {
        const base = { method: 'POST', path: '/agents/calculator/runs', headers: { ...ALICE_JSON, ...SSE } };
        const valid = { ...base, body: JSON.stringify(transportBody) };
        const transport = (label: string, messages: unknown[], status: number, names?: string) => ({
          ...base,
          label,
          body: JSON.stringify({ ...transportBody, id: ctx.runs.paused.conversationId, messages }),
          status,
          ...(names ? { names } : {}),
        });
        const user = transportBody.messages[0];
        const responded = (id: unknown) => ({
          id: 'a1',
          role: 'assistant',
          parts: [
            {
              type: 'dynamic-tool',
              toolCallId: 'c',
              toolName: 'calculate',
              state: 'approval-responded',
              input: {},
              approval: { id, approved: true },
            },
          ],
        });
        return [
          ...authCases({ ...valid, headers: { ...JSON_TYPE, ...SSE } }, 10, 30),
          ...unknownAgentCases({ ...valid, path: '/agents/{name}/runs' }, 8, 8),
          ...contentTypeCases(valid),
          ...malformedJsonCases(base),
          ...fieldCases(base, transportBody, 'id', [
            undefined,
            '',
            5,
            null,
            'x'.repeat(257),
            'a\u0001b',
            'a\nb',
          ]),
          ...fieldCases(base, transportBody, 'messages', [
            [],
            'hi',
            {},
            null,
            [1],
            ['hi'],
            Array.from({ length: 10_001 }, () => transportBody.messages[0]),
          ]),
          ...fieldCases(base, transportBody, 'messages.0.role', ['tool', 'bot', 5, undefined]),
          ...fieldCases(base, transportBody, 'messages.0.parts', [
            undefined,
            'hi',
            [1],
            [],
            [{ type: 'text', text: '' }],
            [{ type: 'text', text: '   ' }],
            [{ type: 'file', url: 'data:,x', mediaType: 'text/plain' }],
            [{ type: 'text', text: 'x'.repeat(100_001) }],
            [{ type: 'text' }],
          ]),
          ...fieldCases(base, transportBody, 'trigger', [5, {}]),
          ...fieldCases(base, transportBody, 'messageId', [5]),
          ...fieldCases(base, transportBody, 'context', ['x', 1, []]),
          transport(
            'assistant last, no approvals',
            [user, { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'hi' }] }],
            400,
            'messages.1.role',
          ),
          transport('approval id not a string', [user, responded(5)], 400, 'messages.1.role'),
          transport('approval id unknown', [user, responded('call_nope')], 400, 'approvals.0.approvalId'),
          {
            ...transport('approval for a chat with no paused run', [user, responded('x')], 404),
            body: JSON.stringify({ ...transportBody, messages: [user, responded('x')] }),
          },
          {
            ...transport('approval by another user', [user, responded(ctx.runs.paused.approvalId)], 404),
            headers: { ...BOB, ...JSON_TYPE, ...SSE },
          },
          ...fieldCases(base, runBody, 'input', [
            42,
            null,
            '',
            'x'.repeat(100_001),
            [{ role: 'user', content: 5 }],
          ]),
          ...unknownKeyCases(base, runBody, ['extra', 'stream', 'accept']),
          ...shapeCases(base, transportBody, { deep: 'context', proto: 'context', big: 'context' }),
          {
            ...base,
            label: 'conversation waiting for approval',
            body: JSON.stringify({ input: 'hi', conversationId: ctx.runs.paused.conversationId }),
            status: 409,
          },
        ];
      },
      good: async () => {
        const response = await ctx.router.request('/agents/calculator/runs', {
          method: 'POST',
          headers: ALICE_JSON,
          body: JSON.stringify(transportBody),
        });
        expect(response.headers.get('content-type')).toBe('text/event-stream');
        const text = chunksOf(parseSse(await response.text()))
          .map((chunk) => (chunk.type === 'text-delta' ? chunk.delta : ''))
          .join('');
        expect(text).toBe('[demo model] The answer is 2.');
      },
    },
    'POST /agents/:name/runs/:runId/approvals': {
      cases: () => {
        const { runId, approvalId } = ctx.runs.paused;
        const path = `/agents/calculator/runs/${runId}/approvals`;
        const base = { method: 'POST', path, headers: ALICE_JSON };
        const valid = { approvals: [{ approvalId, approved: true }] };
        const validRequest = { ...base, body: JSON.stringify(valid) };
        const decisions = (label: string, ids: string[], names: string, headers = ALICE_JSON) => ({
          ...base,
          label,
          headers,
          body: JSON.stringify({ approvals: ids.map((id) => ({ approvalId: id, approved: true })) }),
          status: 400,
          names,
        });
        const wrongIds = [
          `${approvalId}x`,
          approvalId.slice(0, -1),
          approvalId.toUpperCase(),
          `x${approvalId}`,
          'call_nope',
          'call_demo_',
          'calculate-approval',
          '*',
        ];
        return [
          ...authCases({ ...validRequest, headers: JSON_TYPE }, 15, 100),
          ...unknownAgentCases({ ...validRequest, path: `/agents/{name}/runs/${runId}/approvals` }, 8, 20),
          ...UNKNOWN_RUN_IDS.map((id) => ({
            ...validRequest,
            label: `run ${id.slice(0, 30)}`,
            path: `/agents/calculator/runs/${id}/approvals`,
            status: 404,
          })),
          {
            ...validRequest,
            label: 'Bob’s paused run',
            path: `/agents/calculator/runs/${ctx.runs.bobPaused.runId}/approvals`,
            status: 404,
          },
          {
            ...validRequest,
            label: 'a completed run',
            path: `/agents/calculator/runs/${ctx.runs.completed.runId}/approvals`,
            status: 409,
          },
          ...contentTypeCases(validRequest),
          ...malformedJsonCases(base),
          ...fieldCases(base, valid, 'approvals', [
            undefined,
            [],
            'x',
            {},
            null,
            [1],
            Array.from({ length: 101 }, () => valid.approvals[0]),
          ]),
          ...fieldCases(base, valid, 'approvals.0.approvalId', [undefined, '', 5, null, 'x'.repeat(513)]),
          ...fieldCases(base, valid, 'approvals.0.approved', [undefined, 'yes', 1, null, 'true']),
          ...fieldCases(base, valid, 'approvals.0.message', [5, 'x'.repeat(10_001), null]),
          ...fieldCases(base, valid, 'context', ['x', 1, []]),
          ...unknownKeyCases(base, valid, ['extra', 'approval', 'runId']),
          {
            ...base,
            label: 'unknown key in a decision',
            body: JSON.stringify({ approvals: [{ approvalId, approved: true, reason: 'x' }] }),
            status: 400,
            names: 'reason',
          },
          ...wrongIds.map((id) =>
            decisions(`approval id ${id.slice(0, 30)}`, [id], 'approvals.0.approvalId'),
          ),
          ...wrongIds.slice(0, 3).map((id) =>
            decisions(`approval id ${id.slice(0, 30)} (SSE)`, [id], 'approvals.0.approvalId', {
              ...ALICE_JSON,
              ...SSE,
            }),
          ),
          decisions('the same approval twice', [approvalId, approvalId], 'approvals.1.approvalId'),
          decisions('a known and an unknown approval', [approvalId, 'call_nope'], 'approvals.1.approvalId'),
          ...shapeCases(base, valid, { deep: 'context', proto: 'context', big: 'context' }),
        ];
      },
      good: async () => {
        const response = await ctx.router.request(
          `/agents/calculator/runs/${ctx.runs.paused.runId}/approvals`,
          {
            method: 'POST',
            headers: ALICE_JSON,
            body: JSON.stringify({ approvals: [{ approvalId: ctx.runs.paused.approvalId, approved: true }] }),
          },
        );
        expect(await response.json()).toMatchObject({
          status: 'completed',
          output: '[demo model] The answer is 42.',
        });
      },
    },
    'POST /v1/chat/completions': {
      cases: () => {
        const base = { method: 'POST', path: '/v1/chat/completions', headers: ALICE_JSON };
        const valid = { ...base, body: JSON.stringify(completionBody) };
        return [
          ...authCases({ ...valid, headers: JSON_TYPE }, 20, 115),
          ...UNKNOWN_NAMES.slice(0, 20).map((name) => ({
            ...valid,
            label: `model ${name.slice(0, 30)}`,
            body: JSON.stringify({ ...completionBody, model: decodeURIComponent(name.replace('%ZZ', 'ZZ')) }),
            status: 404,
          })),
          ...contentTypeCases(valid),
          ...malformedJsonCases(base),
          ...fieldCases(base, completionBody, 'model', [undefined, '', 5, null, []]),
          ...fieldCases(base, completionBody, 'messages', [
            undefined,
            [],
            'hi',
            {},
            null,
            [1],
            Array.from({ length: 1001 }, () => completionBody.messages[0]),
          ]),
          ...fieldCases(base, completionBody, 'messages.0.role', ['bot', 'tool', 'function', 5, undefined]),
          ...fieldCases(base, completionBody, 'messages.0.content', [
            undefined,
            5,
            {},
            [{ type: 'image_url', image_url: { url: 'x' } }],
            [{ type: 'text' }],
            'x'.repeat(100_001),
          ]),
          ...fieldCases(base, completionBody, 'stream', ['yes', 1]),
          ...fieldCases(base, completionBody, 'stream_options', ['x', { include_usage: 'yes' }]),
          ...['x'.repeat(257), 'a\tb'].map((id) => ({
            ...valid,
            label: `conversation header ${id.slice(0, 20)}`,
            headers: { ...ALICE_JSON, 'x-sightline-conversation-id': id },
            status: 400,
            names: 'X-Sightline-Conversation-Id',
          })),
          ...shapeCases(base, completionBody, { deep: 'metadata', proto: 'metadata', big: 'user' }),
        ];
      },
      good: async () => {
        const response = await ctx.router.request('/v1/chat/completions', {
          method: 'POST',
          headers: ALICE_JSON,
          body: JSON.stringify(completionBody),
        });
        expect(
          ((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]
            ?.message.content,
        ).toBe('[demo model] The answer is 2.');
      },
    },
  };
}
