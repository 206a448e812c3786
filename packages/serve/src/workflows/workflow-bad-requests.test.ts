/**
 * At least 100 different bad requests per HTTP route of `serveWorkflows` (generated from the families of
 * test/bad-request-cases.ts): each a 4xx JSON error with a message naming the field, never a 5xx, and each
 * route still serves a good request afterwards. Then, on one live WebSocket, over 100 bad client messages,
 * each refused while the connection and the run go on to complete; and bad upgrades refused with 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_AUTH, UNKNOWN_NAMES } from '../../test/bad-request-cases.ts';
import { check, sendTo, signature } from '../../test/bad-request-check.ts';
import { ALICE_JSON, BOB } from '../../test/bad-request-routes.ts';
import {
  anyStage,
  type BadMessage,
  beforeStart,
  staleAnswers,
  wrongAnswers,
} from '../../test/bad-workflow-messages.ts';
import { type PausedRun, type WorkflowContext, workflowRoutes } from '../../test/bad-workflow-requests.ts';
import { bearerUser, parseSse } from '../../test/fixtures.ts';
import { failing, onboarding, waiting } from '../../test/sample-workflows.ts';
import { type Listening, listen, TestSocket, UpgradeRefused } from '../../test/test-socket.ts';
import { serveWorkflows } from './workflow-routes.ts';

const ctx = {} as WorkflowContext;
const ROUTES = workflowRoutes(ctx);

async function post(path: string, body: unknown, headers: Record<string, string> = ALICE_JSON) {
  const response = await ctx.router.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as { runId: string };
}

/** The run's open question once it has `count` of them answered before (polls: the workflow runs on). */
async function waitForQuestion(runId: string, headers: Record<string, string>, not: string[]) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await ctx.router.request(`/workflows/runs/${runId}`, { headers });
    const { questions } = (await response.json()) as { questions: string[] };
    const open = questions.find((id) => !not.includes(id));
    if (open) return open;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`run ${runId} asked nothing`);
}

/** An onboarding run of red answered with `answers` in turn, waiting at the next question. */
async function onboardingAt(answers: string[], headers = ALICE_JSON): Promise<PausedRun> {
  const { runId } = await post('/workflows/onboarding/runs', { params: { team: 'red' } }, headers);
  const stale: string[] = [];
  for (const answer of answers) {
    const questionId = await waitForQuestion(runId, headers, stale);
    await post(`/workflows/runs/${runId}/answers`, { questionId, answer }, headers);
    stale.push(questionId);
  }
  return { runId, questionId: await waitForQuestion(runId, headers, stale), stale };
}

beforeAll(async () => {
  ctx.router = serveWorkflows({
    workflows: [onboarding, failing, waiting],
    getUser: bearerUser,
    tracker: false,
    onError: () => undefined,
    maxInputChars: 1000,
  });
  const sse = await ctx.router.request('/workflows/failing/runs', {
    method: 'POST',
    headers: { ...ALICE_JSON, accept: 'text/event-stream' },
    body: '{}',
  });
  const finished = {
    runId: sse.headers.get('x-sightline-run-id') as string,
    frames: parseSse(await sse.text()).length,
  };
  const completed = await post('/workflows/waiting/runs', {});
  const question = await waitForQuestion(completed.runId, ALICE_JSON, []);
  await post(`/workflows/runs/${completed.runId}/answers`, { questionId: question, answer: 'done' });
  const cancelled = await post('/workflows/waiting/runs', {});
  await post(`/workflows/runs/${cancelled.runId}/cancel`, {});
  ctx.runs = {
    finished,
    completed: completed.runId,
    cancelled: cancelled.runId,
    asking: await onboardingAt([]),
    plan: await onboardingAt(['Ada', '1234']),
    extras: await onboardingAt(['Ada', '1234', 'free']),
    bob: await onboardingAt([], { ...BOB, 'content-type': 'application/json' }),
  };
  expect(finished.frames).toBe(3);
});

afterAll(async () => {
  await ctx.router?.close();
});

describe('100 bad requests per workflow route, in process', () => {
  for (const [route, { cases, good }] of Object.entries(ROUTES)) {
    it(`${route}: each a clear 4xx, then a good request works`, async () => {
      const list = cases();
      expect(list.length).toBeGreaterThanOrEqual(100);
      expect(new Set(list.map(signature)).size).toBe(list.length);
      expect(await check(list, sendTo(ctx.router))).toEqual([]);
      await good();
    });
  }
});

describe('over a real server: HTTP, bad WebSocket messages and upgrades', () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen(ctx.router, (http) => ctx.router.injectWebSocket(http));
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a sample of the HTTP bad requests the same way over a real server, and stays up', async () => {
    // The answers route is left out: its good request above moved its runs on.
    const sample = Object.entries(ROUTES)
      .filter(([route]) => !route.endsWith('/answers'))
      .flatMap(([, { cases }]) => cases().filter((_, index) => index % 6 === 0));
    const problems = await check(sample, (request) =>
      fetch(`${server.http}${request.path}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      }),
    );
    expect(problems).toEqual([]);
    const listed = await fetch(`${server.http}/workflows`, { headers: ALICE_JSON });
    expect(((await listed.json()) as { workflows: unknown[] }).workflows).toHaveLength(3);
  });

  /** Sends each message and reads the refusal it must get; the problems found. */
  async function refusals(socket: TestSocket, messages: BadMessage[]): Promise<string[]> {
    const problems: string[] = [];
    for (const { label, data } of messages) {
      socket.socket.send(data);
      const reply = await socket.next();
      const ok =
        reply.type === 'error' &&
        reply.refused === true &&
        typeof reply.message === 'string' &&
        reply.message.trim() !== '' &&
        typeof reply.code === 'string' &&
        reply.eventId === undefined;
      if (!ok) problems.push(`${label}: ${JSON.stringify(reply).slice(0, 200)}`);
    }
    return problems;
  }

  it('refuses over 100 bad messages on one connection; the run goes on and completes', async () => {
    const socket = await TestSocket.open(`${server.ws}/workflows/onboarding/ws`, ALICE_JSON);
    const sent: BadMessage[] = [];
    const refuse = async (messages: BadMessage[]) => {
      sent.push(...messages);
      expect(await refusals(socket, messages)).toEqual([]);
    };
    const answer = async (questionId: unknown, value: unknown) => {
      socket.send({ type: 'answer', questionId, answer: value });
      expect(await socket.expect('answered')).toMatchObject({ questionId });
    };
    await refuse(beforeStart(ctx.runs.bob.runId));

    socket.send({ type: 'start', params: { team: 'blue', seats: 2 } });
    const { runId } = await socket.expect('started');
    await socket.expect('message');
    const name = await socket.expect('ask');
    await refuse(anyStage(name.questionId as string, runId as string));
    await answer(name.questionId, 'Grace');

    const pin = await socket.expect('ask');
    await refuse([
      ...staleAnswers([name.questionId as string], ['Grace', '1234', ['1234']]),
      ...wrongAnswers(pin.questionId as string, [['1', '2'], 1234, 'x'.repeat(1001)]),
    ]);
    await answer(pin.questionId, '1234');

    const plan = await socket.expect('choose');
    await refuse([
      ...staleAnswers([name.questionId as string, pin.questionId as string], ['free']),
      ...wrongAnswers(plan.questionId as string, [
        'Free',
        'enterprise',
        '',
        ['free'],
        ['free', 'pro'],
        'free ',
      ]),
    ]);
    await answer(plan.questionId, 'pro');

    const extras = await socket.expect('choose');
    await refuse([
      ...staleAnswers([plan.questionId as string], [['sso'], 'pro']),
      ...wrongAnswers(extras.questionId as string, ['sso', ['nope'], ['SSO'], ['sso', 'free'], 'sso,audit']),
    ]);
    expect(ctx.router.workflowRuns.run(runId as string, 'alice').status).toBe('running');
    expect(sent.length).toBeGreaterThanOrEqual(100);
    expect(new Set(sent.map(({ data }) => (typeof data === 'string' ? data : `bytes:${data}`))).size).toBe(
      sent.length,
    );

    await answer(extras.questionId, ['audit']);
    expect((await socket.expect('message')).text).toBe('Thanks Grace, your PIN has 4 digits.');
    expect(await socket.expect('completed')).toMatchObject({ result: 'Grace joined blue on pro with audit' });
    expect(await socket.closed).toEqual({ code: 1000, reason: 'completed' });
  });

  it('refuses upgrades without a user (401) or for an unknown workflow (404)', async () => {
    const status = async (path: string, headers: Record<string, string>) => {
      try {
        (await TestSocket.open(`${server.ws}${path}`, headers)).close();
        return 101;
      } catch (error) {
        if (error instanceof UpgradeRefused) return error.status;
        throw error;
      }
    };
    const statuses: Array<[string, number]> = [];
    for (const authorization of BAD_AUTH.slice(0, 15)) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      statuses.push([
        `auth ${authorization?.slice(0, 20)}`,
        await status('/workflows/onboarding/ws', headers),
      ]);
    }
    for (const name of UNKNOWN_NAMES.slice(0, 15)) {
      statuses.push([`workflow ${name}`, await status(`/workflows/${name}/ws`, ALICE_JSON)]);
    }
    expect(statuses.filter(([label, code]) => code !== (label.startsWith('auth') ? 401 : 404))).toEqual([]);
    expect(await status('/workflows/waiting/ws', ALICE_JSON)).toBe(101);
  });
});
