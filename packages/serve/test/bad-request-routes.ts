/**
 * The bad requests of the routes of `serveAgents` that take no JSON body (discovery, run status, stream,
 * cancel): at least 100 per route, built from the families of bad-request-cases.ts.
 */
import { expect } from 'vitest';
import type { AgentsRouter } from '../src/agents/agent-routes.ts';
import type { RunOutcome } from '../src/agents/live-run.ts';
import {
  ALICE,
  authCases,
  BAD_EVENT_IDS,
  type BadRequest,
  JSON_TYPE,
  UNKNOWN_RUN_IDS,
  unknownAgentCases,
  wrongMethodCases,
} from './bad-request-cases.ts';
import { parseSse } from './fixtures.ts';

/** Runs made before the bad requests, for the routes that need one. */
export interface Runs {
  streamed: { runId: string; frames: number };
  completed: RunOutcome;
  failed: RunOutcome;
  paused: RunOutcome & { approvalId: string };
  bobCompleted: RunOutcome;
  bobPaused: RunOutcome;
}

/** What the cases are made against. */
export interface RouteContext {
  router: AgentsRouter;
  runs: Runs;
  start(agent: string, input: string, headers?: Record<string, string>): Promise<RunOutcome>;
}

/** A route's bad requests, and a good request that must still work after them. */
export interface RouteCases {
  cases: () => BadRequest[];
  good: () => Promise<void>;
}

export const BOB = { authorization: 'Bearer bob-token' };
export const ALICE_JSON = { ...ALICE, ...JSON_TYPE };

/** GET /agents, GET /agents/:name, GET runs/:runId, GET .../stream, POST .../cancel. */
export function routesWithoutBody(ctx: RouteContext): Record<string, RouteCases> {
  return {
    'GET /agents': {
      cases: () => [
        ...authCases({ method: 'GET', path: '/agents' }, 70),
        ...wrongMethodCases('/agents', ['GET']),
        ...[
          '/agents/',
          '/agent',
          '/Agents',
          '/AGENTS',
          '/agents.json',
          '//agents',
          '/agents//',
          '/agents/calculator/',
          '/agents/calculator/runs/',
          '/agents/calculator/x',
          '/agents/calculator/runs/x/y',
          '/agents/calculator/runs/x/stream/more',
          '/agents/calculator/runs/x/approve',
          '/v1/chat/completion',
          '/v1/chat',
          '/v1/models',
          '/api/agents',
          '/agents%2Fcalculator',
          '/agents/calculator%2Fruns',
          '/agents/%20',
          '/.env',
          '/agents/calculator/runs/x/cancel/',
          '/v1/chat/completions/',
          '/agents/calculator/runs//stream',
          '/agents/calculator/runs/x/streams',
          '/%2e%2e/agents/x',
        ].map((path) => ({ label: `no route ${path}`, method: 'GET', path, headers: ALICE, status: 404 })),
      ],
      good: async () => {
        const response = await ctx.router.request('/agents', { headers: ALICE });
        expect(response.status).toBe(200);
        expect(((await response.json()) as { agents: unknown[] }).agents).toHaveLength(3);
      },
    },
    'GET /agents/:name': {
      cases: () => [
        ...authCases({ method: 'GET', path: '/agents/calculator' }, 60, 10),
        ...unknownAgentCases({ method: 'GET', path: '/agents/{name}', headers: ALICE }, 36),
        ...wrongMethodCases('/agents/calculator', ['GET']),
      ],
      good: async () => {
        const response = await ctx.router.request('/agents/calculator', { headers: ALICE });
        expect(await response.json()).toMatchObject({ name: 'calculator', tools: [{ name: 'calculate' }] });
      },
    },
    'GET /agents/:name/runs/:runId': {
      cases: () => {
        const path = `/agents/calculator/runs/${ctx.runs.completed.runId}`;
        const base = { method: 'GET', path, headers: ALICE };
        return [
          ...authCases(base, 50, 40),
          ...unknownAgentCases({ ...base, path: `/agents/{name}/runs/${ctx.runs.completed.runId}` }, 20, 16),
          ...UNKNOWN_RUN_IDS.map((id) => ({
            ...base,
            label: `run ${id.slice(0, 30)}`,
            path: `/agents/calculator/runs/${id}`,
            status: 404,
          })),
          {
            ...base,
            label: 'Bob’s run',
            path: `/agents/calculator/runs/${ctx.runs.bobCompleted.runId}`,
            status: 404,
          },
          { ...base, label: 'Alice’s run asked by Bob', headers: BOB, status: 404 },
          {
            ...base,
            label: 'run of another agent',
            path: `/agents/weather/runs/${ctx.runs.completed.runId}`,
            status: 404,
          },
          { ...base, label: 'trailing slash', path: `${path}/`, status: 404 },
          { ...base, label: 'status suffix', path: `${path}/status`, status: 404 },
          ...wrongMethodCases(path, ['GET']),
        ];
      },
      good: async () => {
        const response = await ctx.router.request(`/agents/calculator/runs/${ctx.runs.completed.runId}`, {
          headers: ALICE,
        });
        expect(await response.json()).toMatchObject({
          status: 'completed',
          output: '[demo model] The answer is 2.',
        });
      },
    },
    'GET /agents/:name/runs/:runId/stream': {
      cases: () => {
        const path = `/agents/calculator/runs/${ctx.runs.streamed.runId}/stream`;
        const base = { method: 'GET', path, headers: ALICE };
        const { frames } = ctx.runs.streamed;
        const future = Array.from({ length: 20 }, (_, index) => String(frames + 1 + index * 7));
        return [
          ...[...BAD_EVENT_IDS, ...future].map((id) => ({
            ...base,
            label: `Last-Event-ID ${id.slice(0, 20)}`,
            headers: { ...ALICE, 'last-event-id': id },
            status: 400,
            names: 'Last-Event-ID',
          })),
          // Digits of other scripts can only come in the query (headers are Latin-1).
          ...['１', '١', '½', ...BAD_EVENT_IDS.slice(0, 10)].map((id) => ({
            ...base,
            label: `?lastEventId=${id}`,
            path: `${path}?lastEventId=${encodeURIComponent(id)}`,
            status: 400,
            names: 'Last-Event-ID',
          })),
          ...UNKNOWN_RUN_IDS.slice(0, 5).map((id) => ({
            ...base,
            label: `bad Last-Event-ID, unknown run ${id.slice(0, 20)}`,
            path: `/agents/calculator/runs/${id}/stream`,
            headers: { ...ALICE, 'last-event-id': 'x' },
            status: 400,
            names: 'Last-Event-ID',
          })),
          ...authCases(base, 20, 60),
          ...unknownAgentCases(
            { ...base, path: `/agents/{name}/runs/${ctx.runs.streamed.runId}/stream` },
            10,
          ),
          ...wrongMethodCases(path, ['GET']),
        ];
      },
      good: async () => {
        const response = await ctx.router.request(
          `/agents/calculator/runs/${ctx.runs.streamed.runId}/stream`,
          {
            headers: { ...ALICE, 'last-event-id': '2' },
          },
        );
        expect(response.status).toBe(200);
        expect(parseSse(await response.text())).toHaveLength(ctx.runs.streamed.frames - 2);
      },
    },
    'POST /agents/:name/runs/:runId/cancel': {
      cases: () => {
        const cancel = (agent: string, runId: string) => `/agents/${agent}/runs/${runId}/cancel`;
        const base = {
          method: 'POST',
          path: cancel('calculator', ctx.runs.paused.runId),
          headers: ALICE_JSON,
        };
        return [
          ...UNKNOWN_RUN_IDS.map((id) => ({
            ...base,
            label: `run ${id.slice(0, 30)}`,
            path: cancel('calculator', id),
            status: 404,
          })),
          {
            ...base,
            label: 'streamed run that completed',
            path: cancel('calculator', ctx.runs.streamed.runId),
            status: 409,
          },
          {
            ...base,
            label: 'JSON run that completed',
            path: cancel('calculator', ctx.runs.completed.runId),
            status: 409,
          },
          { ...base, label: 'run that failed', path: cancel('failing', ctx.runs.failed.runId), status: 409 },
          {
            ...base,
            label: 'Alice’s paused run cancelled by Bob',
            headers: { ...BOB, ...JSON_TYPE },
            status: 404,
          },
          {
            ...base,
            label: 'Bob’s paused run',
            path: cancel('calculator', ctx.runs.bobPaused.runId),
            status: 404,
          },
          {
            ...base,
            label: 'Bob’s completed run',
            path: cancel('calculator', ctx.runs.bobCompleted.runId),
            status: 404,
          },
          {
            ...base,
            label: 'paused run under another agent',
            path: cancel('weather', ctx.runs.paused.runId),
            status: 404,
          },
          {
            ...base,
            label: 'a conversation id',
            path: cancel('calculator', ctx.runs.paused.conversationId),
            status: 404,
          },
          ...authCases(base, 46, 80),
          ...unknownAgentCases(
            { ...base, path: `/agents/{name}/runs/${ctx.runs.paused.runId}/cancel` },
            20,
            10,
          ),
          ...wrongMethodCases(base.path, ['POST']),
        ];
      },
      good: async () => {
        // Nothing above cancelled Alice's paused run.
        const status = await ctx.router.request(`/agents/calculator/runs/${ctx.runs.paused.runId}`, {
          headers: ALICE,
        });
        expect(((await status.json()) as RunOutcome).status).toBe('awaiting_approval');
        const run = await ctx.start('calculator', 'what is 5 * 5');
        const cancelled = await ctx.router.request(`/agents/calculator/runs/${run.runId}/cancel`, {
          method: 'POST',
          headers: ALICE,
        });
        expect(((await cancelled.json()) as RunOutcome).status).toBe('cancelled');
      },
    },
  };
}
