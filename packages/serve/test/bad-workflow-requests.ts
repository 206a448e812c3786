/**
 * The bad requests of the HTTP routes of `serveWorkflows` (discovery, start as JSON and SSE, status,
 * events, answers, cancel): at least 100 per route, built from the families of bad-request-cases.ts.
 */
import { expect } from 'vitest';
import type { WorkflowsRouter } from '../src/workflows/workflow-routes.ts';
import {
  ALICE,
  authCases,
  BAD_EVENT_IDS,
  type BadRequest,
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
  wrongMethodCases,
} from './bad-request-cases.ts';
import { ALICE_JSON, BOB, type RouteCases } from './bad-request-routes.ts';
import { parseSse } from './fixtures.ts';

/** A run and the question it waits for (and the ids of the questions it already had answered). */
export interface PausedRun {
  runId: string;
  questionId: string;
  stale: string[];
}

/** Runs made before the bad requests. */
export interface WorkflowRunsForCases {
  /** A failing run read to its end over SSE, and how many events it has. */
  finished: { runId: string; frames: number };
  completed: string;
  cancelled: string;
  /** Onboarding waiting at "What is your name?" (an ask with suggestions). */
  asking: PausedRun;
  /** Onboarding waiting at "Which plan?" (free or pro). */
  plan: PausedRun;
  /** Onboarding waiting at "Which extras?" (several of sso, audit, support). */
  extras: PausedRun;
  bob: PausedRun;
}

/** What the cases are made against. */
export interface WorkflowContext {
  router: WorkflowsRouter;
  runs: WorkflowRunsForCases;
}

const startBody = { params: { team: 'red' } };
const idValues = ['', 123, true, {}, [], null, 'x'.repeat(257), 'a\u0000b', 'a\nb', 'tab\there'];
const runIds = [...new Set([...UNKNOWN_RUN_IDS, ...UNKNOWN_NAMES])];

/** Near misses of a real id (as they appear in a URL). */
function nearMisses(id: string): string[] {
  return [
    `${id}x`,
    id.slice(0, -1),
    id.toUpperCase(),
    `x${id}`,
    `%20${id}`,
    `${id}%20`,
    id.replaceAll('-', ''),
    `${id}.json`,
  ];
}

/** Requests for each id that names no run of Alice's, in place of `{id}` in the path: 404. */
function unknownRunCases(base: Omit<BadRequest, 'label' | 'status'>, ids = runIds): BadRequest[] {
  return ids.map((id) => ({
    ...base,
    label: `run ${id.slice(0, 30)}`,
    path: base.path.replace('{id}', id),
    status: 404,
  }));
}

/** The bad bodies of a start (`headers` decide JSON or SSE): the same mistakes either way. */
function startCases(headers: Record<string, string>): BadRequest[] {
  const base = { method: 'POST', path: '/workflows/onboarding/runs', headers };
  const valid = { ...base, body: JSON.stringify(startBody) };
  const { authorization: _, ...anonymous } = headers;
  return [
    ...authCases({ ...valid, headers: anonymous }, 10, 5),
    ...unknownAgentCases({ ...valid, path: '/workflows/{name}/runs' }, 36),
    ...contentTypeCases(valid),
    ...malformedJsonCases(base),
    ...['null', '1', '"hi"', 'true', '[]', '[{"params":{}}]'].map((body) => ({
      ...base,
      label: `body ${body}`,
      body,
      status: 400,
    })),
    ...fieldCases(base, startBody, 'params.team', [undefined, '', 5, null, {}, [], true]),
    ...fieldCases(base, startBody, 'params.seats', [0, 51, 1.5, '3', null, -1, true]),
    ...fieldCases(base, startBody, 'params', ['x', 5, [], true]),
    ...fieldCases(base, startBody, 'conversationId', idValues),
    ...unknownKeyCases(base, startBody, ['extra', 'Params', 'input', 'workflow', 'conversation_id', 'name']),
    ...shapeCases(base, startBody, { deep: 'params', proto: 'params', big: 'params' }),
  ];
}

/** GET /workflows, POST /workflows/:name/runs (JSON and SSE), GET /workflows/runs/:id. */
export function workflowRoutes(ctx: WorkflowContext): Record<string, RouteCases> {
  return {
    'GET /workflows': {
      cases: () => [
        ...authCases({ method: 'GET', path: '/workflows' }, 70),
        ...wrongMethodCases('/workflows', ['GET']),
        ...[
          '/workflows/',
          '/workflow',
          '/Workflows',
          '/WORKFLOWS',
          '/workflows.json',
          '//workflows',
          '/workflows//',
          '/workflows/onboarding',
          '/workflows/onboarding/',
          '/workflows/onboarding/runs',
          '/workflows/onboarding/runs/',
          '/workflows/onboarding/x',
          '/workflows/runs',
          '/workflows/runs/',
          '/workflows/runs/x/y',
          '/workflows/runs/x/events/more',
          '/workflows/runs/x/answer',
          '/workflows/runs/x/answers',
          '/workflows/runs/x/cancel',
          '/workflows/onboarding/websocket',
          '/api/workflows',
          '/workflows%2Fonboarding',
          '/workflows/%20',
          '/.env',
          '/workflows/runs//events',
          '/%2e%2e/workflows/x',
        ].map((path) => ({ label: `no route ${path}`, method: 'GET', path, headers: ALICE, status: 404 })),
      ],
      good: async () => {
        const response = await ctx.router.request('/workflows', { headers: ALICE });
        expect(response.status).toBe(200);
        expect(((await response.json()) as { workflows: unknown[] }).workflows).toHaveLength(3);
      },
    },
    'POST /workflows/:name/runs (JSON)': {
      cases: () => startCases(ALICE_JSON),
      good: async () => {
        const response = await ctx.router.request('/workflows/onboarding/runs', {
          method: 'POST',
          headers: ALICE_JSON,
          body: JSON.stringify(startBody),
        });
        expect(response.status).toBe(201);
        expect(await response.json()).toMatchObject({ workflow: 'onboarding', status: 'running' });
      },
    },
    'POST /workflows/:name/runs (SSE)': {
      cases: () => startCases({ ...ALICE_JSON, ...SSE }),
      good: async () => {
        const response = await ctx.router.request('/workflows/failing/runs', {
          method: 'POST',
          headers: { ...ALICE_JSON, ...SSE },
          body: '{}',
        });
        expect(response.headers.get('content-type')).toBe('text/event-stream');
        expect(parseSse(await response.text()).map((frame) => frame.event)).toEqual([
          'started',
          'message',
          'error',
        ]);
      },
    },
    'GET /workflows/runs/:id': {
      cases: () => {
        const path = `/workflows/runs/${ctx.runs.asking.runId}`;
        const base = { method: 'GET', path, headers: ALICE };
        return [
          ...authCases(base, 50, 40),
          ...unknownRunCases({ ...base, path: '/workflows/runs/{id}' }),
          ...unknownRunCases({ ...base, path: '/workflows/runs/{id}' }, nearMisses(ctx.runs.asking.runId)),
          { ...base, label: 'Bob’s run', path: `/workflows/runs/${ctx.runs.bob.runId}`, status: 404 },
          { ...base, label: 'Alice’s run asked by Bob', headers: BOB, status: 404 },
          {
            ...base,
            label: 'a question id',
            path: `/workflows/runs/${ctx.runs.asking.questionId}`,
            status: 404,
          },
          { ...base, label: 'trailing slash', path: `${path}/`, status: 404 },
          { ...base, label: 'status suffix', path: `${path}/status`, status: 404 },
          ...wrongMethodCases(path, ['GET']),
        ];
      },
      good: async () => {
        const response = await ctx.router.request(`/workflows/runs/${ctx.runs.asking.runId}`, {
          headers: ALICE,
        });
        expect(await response.json()).toMatchObject({
          status: 'running',
          questions: [ctx.runs.asking.questionId],
        });
      },
    },
    ...runRoutes(ctx),
  };
}

/** GET /workflows/runs/:id/events, POST .../answers, POST .../cancel. */
function runRoutes(ctx: WorkflowContext): Record<string, RouteCases> {
  return {
    'GET /workflows/runs/:id/events': {
      cases: () => {
        const { runId, frames } = ctx.runs.finished;
        const path = `/workflows/runs/${runId}/events`;
        const base = { method: 'GET', path, headers: ALICE };
        const future = Array.from({ length: 20 }, (_, index) => String(frames + 1 + index * 7));
        return [
          ...[...BAD_EVENT_IDS, ...future].map((id) => ({
            ...base,
            label: `Last-Event-ID ${id.slice(0, 20)}`,
            headers: { ...ALICE, 'last-event-id': id },
            status: 400,
            names: 'Last-Event-ID',
          })),
          ...['１', '١', '½', ...BAD_EVENT_IDS.slice(0, 10)].map((id) => ({
            ...base,
            label: `?lastEventId=${id}`,
            path: `${path}?lastEventId=${encodeURIComponent(id)}`,
            status: 400,
            names: 'Last-Event-ID',
          })),
          ...authCases(base, 20, 60),
          ...unknownRunCases({ ...base, path: '/workflows/runs/{id}/events' }, UNKNOWN_RUN_IDS),
          { ...base, label: 'Bob’s run', path: `/workflows/runs/${ctx.runs.bob.runId}/events`, status: 404 },
          ...wrongMethodCases(path, ['GET']),
        ];
      },
      good: async () => {
        const response = await ctx.router.request(`/workflows/runs/${ctx.runs.finished.runId}/events`, {
          headers: { ...ALICE, 'last-event-id': '1' },
        });
        expect(response.status).toBe(200);
        expect(parseSse(await response.text())).toHaveLength(ctx.runs.finished.frames - 1);
      },
    },
    'POST /workflows/runs/:id/answers': { cases: () => answerCases(ctx), good: () => goodAnswer(ctx) },
    'POST /workflows/runs/:id/cancel': {
      cases: () => {
        const cancel = (runId: string) => `/workflows/runs/${runId}/cancel`;
        const base = { method: 'POST', path: cancel(ctx.runs.asking.runId), headers: ALICE_JSON };
        return [
          ...unknownRunCases({ ...base, path: cancel('{id}') }),
          ...unknownRunCases({ ...base, path: cancel('{id}') }, nearMisses(ctx.runs.asking.runId)),
          { ...base, label: 'Alice’s run cancelled by Bob', headers: { ...BOB, ...JSON_TYPE }, status: 404 },
          { ...base, label: 'Bob’s run', path: cancel(ctx.runs.bob.runId), status: 404 },
          { ...base, label: 'a question id', path: cancel(ctx.runs.asking.questionId), status: 404 },
          ...authCases(base, 46, 80),
          ...wrongMethodCases(base.path, ['POST']),
        ];
      },
      good: async () => {
        // Nothing above cancelled Alice's or Bob's runs.
        for (const [run, who] of [
          [ctx.runs.asking, ALICE],
          [ctx.runs.bob, BOB],
        ] as const) {
          const status = await ctx.router.request(`/workflows/runs/${run.runId}`, { headers: who });
          expect(await status.json()).toMatchObject({ status: 'running' });
        }
        const cancelled = await ctx.router.request(`/workflows/runs/${ctx.runs.asking.runId}/cancel`, {
          method: 'POST',
          headers: ALICE,
        });
        expect(await cancelled.json()).toMatchObject({ status: 'cancelled' });
      },
    },
  };
}

/** Bad answers: ids unknown or stale, wrong types, not one of the choices, too long; runs not running. */
function answerCases(ctx: WorkflowContext): BadRequest[] {
  const { plan, extras, asking, bob } = ctx.runs;
  const answers = (runId: string) => `/workflows/runs/${runId}/answers`;
  const base = { method: 'POST', path: answers(plan.runId), headers: ALICE_JSON };
  const valid = { questionId: plan.questionId, answer: 'pro' };
  const validRequest = { ...base, body: JSON.stringify(valid) };
  const to = (run: PausedRun, label: string, body: unknown, names: string) => ({
    ...base,
    label,
    path: answers(run.runId),
    body: JSON.stringify(body),
    status: 400,
    names,
  });
  const wrongIds = [
    `${plan.questionId}x`,
    plan.questionId.slice(0, -1),
    plan.questionId.toUpperCase(),
    `x${plan.questionId}`,
    'made-up',
    plan.runId,
    extras.questionId,
    asking.questionId,
    bob.questionId,
    ...plan.stale.map((id) => id),
  ];
  const notChoices = ['Free', 'FREE', ' free', 'free ', 'enterprise', '', 'free,pro', 'x'.repeat(100_001)];
  return [
    ...authCases({ ...validRequest, headers: JSON_TYPE }, 15, 100),
    ...unknownRunCases({ ...validRequest, path: answers('{id}') }, UNKNOWN_RUN_IDS),
    { ...validRequest, label: 'Bob’s run', path: answers(bob.runId), status: 404 },
    { ...validRequest, label: 'Alice’s run answered by Bob', headers: { ...BOB, ...JSON_TYPE }, status: 404 },
    { ...validRequest, label: 'a completed run', path: answers(ctx.runs.completed), status: 409 },
    { ...validRequest, label: 'a failed run', path: answers(ctx.runs.finished.runId), status: 409 },
    { ...validRequest, label: 'a cancelled run', path: answers(ctx.runs.cancelled), status: 409 },
    ...contentTypeCases(validRequest),
    ...malformedJsonCases(base),
    ...fieldCases(base, valid, 'questionId', [undefined, '', 5, null, 'x'.repeat(101), [], {}, true]),
    ...fieldCases(base, valid, 'answer', [undefined, 5, null, {}, true, [1], Array(1001).fill('pro')]),
    ...unknownKeyCases(base, valid, ['extra', 'question', 'runId', 'type', 'answers']),
    ...wrongIds.map((id) =>
      to(plan, `question id ${id.slice(0, 30)}`, { ...valid, questionId: id }, 'questionId'),
    ),
    ...notChoices.map((answer) =>
      to(plan, `plan ${JSON.stringify(answer).slice(0, 20)}`, { ...valid, answer }, 'answer'),
    ),
    ...[['pro'], ['free', 'pro'], []].map((answer) =>
      to(plan, `plan ${JSON.stringify(answer)}`, { ...valid, answer }, 'answer'),
    ),
    ...['sso', '', ...[['sso', 'nope'], ['SSO'], [''], ['sso', 'sso ']]].map((answer) =>
      to(extras, `extras ${JSON.stringify(answer)}`, { questionId: extras.questionId, answer }, 'answer'),
    ),
    ...[['Ada'], [], 'x'.repeat(100_001)].map((answer) =>
      to(
        asking,
        `name ${JSON.stringify(answer).slice(0, 20)}`,
        { questionId: asking.questionId, answer },
        'answer',
      ),
    ),
    ...shapeCases(base, valid, { deep: 'answer', proto: 'answer', big: 'answer' }),
  ];
}

/** After the bad answers, each run still waits for its question, and the good answers are taken. */
async function goodAnswer(ctx: WorkflowContext): Promise<void> {
  for (const run of [ctx.runs.plan, ctx.runs.extras, ctx.runs.asking]) {
    const status = await ctx.router.request(`/workflows/runs/${run.runId}`, { headers: ALICE });
    expect(await status.json()).toMatchObject({ status: 'running', questions: [run.questionId] });
  }
  const response = await ctx.router.request(`/workflows/runs/${ctx.runs.extras.runId}/answers`, {
    method: 'POST',
    headers: ALICE_JSON,
    body: JSON.stringify({ questionId: ctx.runs.extras.questionId, answer: ['sso', 'audit'] }),
  });
  expect(await response.json()).toEqual({
    runId: ctx.runs.extras.runId,
    questionId: ctx.runs.extras.questionId,
    accepted: true,
  });
  const events = await ctx.router.request(`/workflows/runs/${ctx.runs.extras.runId}/events`, {
    headers: ALICE,
  });
  const last = parseSse(await events.text()).at(-1);
  expect(JSON.parse(last?.data ?? '{}')).toMatchObject({
    type: 'completed',
    result: 'Ada joined red on free with sso+audit',
  });
}
