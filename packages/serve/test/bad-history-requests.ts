/**
 * The bad requests of `GET /agents/:name/conversations/:conversationId/messages` (the history route):
 * unauthenticated, unknown agents, malformed conversation ids and limits (400 naming them), conversations
 * the caller does not have (another user's, ids nobody used: 404), wrong methods and paths.
 */
import { expect } from 'vitest';
import {
  ALICE,
  authCases,
  type BadRequest,
  unknownAgentCases,
  wrongMethodCases,
} from './bad-request-cases.ts';
import { BOB, type RouteCases, type RouteContext } from './bad-request-routes.ts';

/** Conversation ids (as they appear in a URL) that are not ids: too long, control characters. */
const MALFORMED_IDS = [
  'x'.repeat(257),
  'y'.repeat(4000),
  '%00',
  'a%00b',
  'a%01b',
  '%0A',
  'a%0Db',
  '%09',
  'a%1Bb',
  '%7F',
  'chat%00',
  `${'%C3%A9'.repeat(257)}`,
];

/** Ids nobody gave a conversation of Alice's. */
const UNKNOWN_IDS = [
  'nope',
  'chat-1',
  '__proto__',
  'constructor',
  'toString',
  'null',
  'undefined',
  '0',
  '-1',
  'latest',
  '*',
  '%20',
  '%F0%9F%98%80',
  'alice%3A',
  'bob%3Achat',
  'x'.repeat(256),
];

/** `?limit=` values that are not a count from 1 to 1000. */
const BAD_LIMITS = [
  '0',
  '-1',
  '1.5',
  'abc',
  '1001',
  '',
  '1e2',
  '0x10',
  '+5',
  '%205',
  '5%20',
  '9'.repeat(12),
  'null',
  '[1]',
];

/** The history route's cases (alongside the other routes' in bad-requests.test.ts). */
export function historyRouteCases(ctx: RouteContext): Record<string, RouteCases> {
  const messages = (agent: string, id: string) => `/agents/${agent}/conversations/${id}/messages`;
  return {
    'GET /agents/:name/conversations/:conversationId/messages': {
      cases: () => {
        const id = encodeURIComponent(ctx.runs.completed.conversationId);
        const path = messages('calculator', id);
        const base = { method: 'GET', path, headers: ALICE };
        const cases: BadRequest[] = [
          ...authCases(base, 40, 90),
          ...unknownAgentCases({ ...base, path: messages('{name}', id) }, 20, 26),
          ...MALFORMED_IDS.map((bad) => ({
            ...base,
            label: `malformed id ${bad.slice(0, 20)}`,
            path: messages('calculator', bad),
            status: 400,
            names: 'conversationId',
          })),
          ...UNKNOWN_IDS.map((unknown) => ({
            ...base,
            label: `unknown id ${unknown.slice(0, 20)}`,
            path: messages('calculator', unknown),
            status: 404,
          })),
          ...BAD_LIMITS.map((limit) => ({
            ...base,
            label: `?limit=${limit.slice(0, 20)}`,
            path: `${path}?limit=${limit}`,
            status: 400,
            names: 'limit',
          })),
          { ...base, label: 'Alice’s conversation asked by Bob', headers: BOB, status: 404 },
          {
            ...base,
            label: 'Bob’s conversation',
            path: messages('calculator', encodeURIComponent(ctx.runs.bobCompleted.conversationId)),
            status: 404,
          },
          {
            ...base,
            label: 'Bob’s paused conversation',
            path: messages('calculator', encodeURIComponent(ctx.runs.bobPaused.conversationId)),
            status: 404,
          },
          { ...base, label: 'a run id', path: messages('calculator', ctx.runs.completed.runId), status: 404 },
          { ...base, label: 'trailing slash', path: `${path}/`, status: 404 },
          { ...base, label: 'no messages segment', path: path.replace(/\/messages$/, ''), status: 404 },
          { ...base, label: 'one message', path: `${path}/1`, status: 404 },
          ...wrongMethodCases(path, ['GET']),
        ];
        return cases;
      },
      good: async () => {
        // A run of its own (the approvals route's good request answers ctx.runs.paused).
        const paused = await ctx.start('calculator', 'what is 4 * 4');
        const response = await ctx.router.request(
          messages('calculator', encodeURIComponent(paused.conversationId)),
          { headers: ALICE },
        );
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({
          conversationId: paused.conversationId,
          pendingApproval: { runId: paused.runId, approvals: paused.approvals },
        });
      },
    },
  };
}
