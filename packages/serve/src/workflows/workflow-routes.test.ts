/**
 * Workflows over HTTP: discovery, auth on every route, parameter validation, and the SSE + POST answers
 * flow for clients without WebSocket (resume with Last-Event-ID, cancel, failures, other users' runs).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bearerUser, type TestUser } from '../../test/fixtures.ts';
import { failing, onboarding, waiting } from '../../test/sample-workflows.ts';
import { SseReader } from '../../test/sse-reader.ts';
import { defineWorkflow } from './workflow.ts';
import { serveWorkflows, type WorkflowsRouter } from './workflow-routes.ts';

const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };
const bob = { ...alice, authorization: 'Bearer bob-token' };
const aliceSse = { ...alice, accept: 'text/event-stream' };
const routers: WorkflowsRouter[] = [];

afterEach(async () => {
  await Promise.all(routers.splice(0).map((router) => router.close()));
});

function serve(): WorkflowsRouter {
  const router = serveWorkflows({
    workflows: [onboarding, failing, waiting],
    getUser: bearerUser,
    tracker: false,
    onError: () => undefined,
  });
  routers.push(router);
  return router;
}

function post(app: WorkflowsRouter, path: string, body: unknown, headers: Record<string, string> = alice) {
  return app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function startJson(app: WorkflowsRouter, name: string, params: unknown = {}) {
  const response = await post(app, `/workflows/${name}/runs`, { params });
  expect(response.status).toBe(201);
  return (await response.json()) as { runId: string; conversationId: string; status: string };
}

function answer(app: WorkflowsRouter, runId: string, questionId: unknown, value: unknown, headers = alice) {
  return post(app, `/workflows/runs/${runId}/answers`, { questionId, answer: value }, headers);
}

function events(
  app: WorkflowsRouter,
  runId: string,
  lastEventId?: number,
  headers: Record<string, string> = alice,
) {
  return app.request(`/workflows/runs/${runId}/events`, {
    headers: { ...headers, ...(lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }) },
  });
}

describe('workflow discovery', () => {
  it('lists each workflow with its description and the JSON schema of its params', async () => {
    const app = serve();
    const response = await app.request('/workflows', { headers: alice });
    expect(response.status).toBe(200);
    const { workflows } = (await response.json()) as { workflows: Array<Record<string, unknown>> };
    expect(workflows.map((w) => [w.name, w.description])).toEqual([
      ['onboarding', 'Signs a person up to a team.'],
      ['failing', 'Always fails.'],
      ['waiting', 'Waits for an answer.'],
    ]);
    expect(workflows[0]?.params).toMatchObject({
      type: 'object',
      properties: {
        team: { type: 'string', minLength: 1 },
        seats: { type: 'integer', minimum: 1, maximum: 50, default: 1 },
      },
      // seats has a default: the client may leave it out.
      required: ['team'],
    });
    expect(workflows[1]?.params).toEqual({ type: 'object' });
  });
});

describe('auth and validation', () => {
  it('applies getUser to every route (401 without a user)', async () => {
    const app = serve();
    const run = await startJson(app, 'waiting');
    const routes: Array<[string, string]> = [
      ['GET', '/workflows'],
      ['POST', '/workflows/waiting/runs'],
      ['GET', `/workflows/runs/${run.runId}`],
      ['GET', `/workflows/runs/${run.runId}/events`],
      ['POST', `/workflows/runs/${run.runId}/answers`],
      ['POST', `/workflows/runs/${run.runId}/cancel`],
      ['GET', '/workflows/waiting/ws'],
    ];
    for (const [method, path] of routes) {
      for (const authorization of [undefined, 'Bearer stolen']) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (authorization) headers.authorization = authorization;
        const response = await app.request(path, {
          method,
          headers,
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect([method, path, response.status]).toEqual([method, path, 401]);
        expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
      }
    }
    // Nothing was answered or cancelled by those requests.
    const status = await app.request(`/workflows/runs/${run.runId}`, { headers: alice });
    expect(await status.json()).toMatchObject({ status: 'running', questions: [expect.any(String)] });
  });

  it('runs getUser once per request and hands the user to the workflow as io.user', async () => {
    const seen: string[] = [];
    const whoami = defineWorkflow({
      name: 'whoami',
      description: 'Says who is running it.',
      run: async (io) => `hello ${(io.user as TestUser).userName}`,
    });
    const app = serveWorkflows({
      workflows: [whoami],
      getUser: (request) => {
        seen.push(new URL(request.url).pathname);
        return bearerUser(request);
      },
      tracker: false,
    });
    routers.push(app);
    await app.request('/workflows', { headers: alice });
    const started = await post(app, '/workflows/whoami/runs', {}, aliceSse);
    const result = (await new SseReader(started).rest()).at(-1);
    expect(JSON.parse(result?.data ?? '{}')).toEqual({ type: 'completed', result: 'hello Alice' });
    expect(seen).toEqual(['/workflows', '/workflows/whoami/runs']);
  });

  it('validates params and bodies with a 4xx naming the field', async () => {
    const app = serve();
    const empty = await post(app, '/workflows/onboarding/runs', { params: { team: '', seats: 0 } });
    expect(empty.status).toBe(400);
    const body = JSON.stringify(await empty.json());
    expect(body).toContain('params.team');
    expect(body).toContain('params.seats');
    const missing = await post(app, '/workflows/onboarding/runs', {});
    expect(JSON.stringify(await missing.json())).toContain('params.team');
    const extra = await post(app, '/workflows/onboarding/runs', { params: { team: 'a' }, colour: 'red' });
    expect(extra.status).toBe(400);
    const notJson = await app.request('/workflows/onboarding/runs', {
      method: 'POST',
      headers: alice,
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const unknown = await post(app, '/workflows/nope/runs', {});
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(await unknown.json())).toContain('served workflows: onboarding, failing, waiting');
    const badId = await post(app, '/workflows/waiting/runs', { conversationId: '' });
    expect(JSON.stringify(await badId.json())).toContain('conversationId');
    let deep: unknown = 'bottom';
    for (let level = 0; level < 150; level += 1) deep = { deeper: deep };
    const nested = await post(app, '/workflows/waiting/runs', { params: deep });
    expect(nested.status).toBe(400);
    expect(JSON.stringify(await nested.json())).toContain('must nest at most 100 levels deep');
    const proto = await app.request('/workflows/onboarding/runs', {
      method: 'POST',
      headers: alice,
      body: '{"params":{"team":"a","__proto__":{"admin":true}}}',
    });
    expect(await proto.json()).toMatchObject({ error: { issues: [{ path: 'params.__proto__' }] } });
    const wrongPath = await app.request('/workflows/onboarding/nothing-here', { headers: alice });
    expect(wrongPath.status).toBe(404);
    expect(await wrongPath.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('SSE + POST answers', () => {
  it('streams the run and takes answers carrying the question id', async () => {
    const app = serve();
    const response = await post(
      app,
      '/workflows/onboarding/runs',
      { params: { team: 'red' }, conversationId: 'chat-7' },
      aliceSse,
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const runId = response.headers.get('x-sightline-run-id') as string;
    expect(response.headers.get('x-sightline-conversation-id')).toBe('chat-7');
    const stream = new SseReader(response);
    expect((await stream.expect('started')).data).toEqual({
      type: 'started',
      runId,
      workflow: 'onboarding',
      conversationId: 'chat-7',
      trackedConversationId: 'alice:chat-7',
    });
    await stream.expect('message');
    const name = (await stream.expect('ask')).data;

    const wrong = await answer(app, runId, 'not-waiting', 'Ada');
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      error: { issues: [{ path: 'questionId', message: `must be one of: ${name.questionId}` }] },
    });
    const ok = await answer(app, runId, name.questionId, 'Ada');
    expect(await ok.json()).toEqual({ runId, questionId: name.questionId, accepted: true });
    expect((await stream.expect('answered')).data.questionId).toBe(name.questionId);
    const pin = (await stream.expect('ask')).data;
    await answer(app, runId, pin.questionId, '12345');
    await stream.expect('answered');
    const plan = (await stream.expect('choose')).data;
    const invalid = await answer(app, runId, plan.questionId, 'platinum');
    expect(await invalid.json()).toMatchObject({ error: { issues: [{ path: 'answer' }] } });
    await answer(app, runId, plan.questionId, 'pro');
    await stream.expect('answered');
    const extras = (await stream.expect('choose')).data;
    await answer(app, runId, extras.questionId, []);
    await stream.expect('answered');
    await stream.expect('message');
    expect((await stream.expect('completed')).data.result).toBe('Ada joined red on pro with no extras');
    expect(await stream.next()).toBeUndefined();

    const status = await app.request(`/workflows/runs/${runId}`, { headers: alice });
    expect(await status.json()).toEqual({
      runId,
      workflow: 'onboarding',
      status: 'completed',
      result: 'Ada joined red on pro with no extras',
      questions: [],
    });
    const late = await answer(app, runId, extras.questionId, ['sso']);
    expect(late.status).toBe(409);
  });

  it('resumes with Last-Event-ID: across three connections every event arrives exactly once', async () => {
    const app = serve();
    const { runId } = await startJson(app, 'onboarding', { team: 'blue' });
    const seen: number[] = [];
    const first = new SseReader(await events(app, runId));
    for (let index = 0; index < 3; index += 1) {
      const event = await first.next();
      seen.push(Number(event?.id));
    }
    await first.cancel(); // the client went away after the first question
    const name = JSON.parse(await (await app.request(`/workflows/runs/${runId}`, { headers: alice })).text());
    await answer(app, runId, name.questions[0], 'Bo');

    const second = new SseReader(await events(app, runId, seen.at(-1)));
    for (let index = 0; index < 2; index += 1) seen.push(Number((await second.next())?.id)); // answered, ask
    await second.cancel();
    const pinId = (await (await app.request(`/workflows/runs/${runId}`, { headers: alice })).json())
      .questions[0];
    await answer(app, runId, pinId, '0');

    // The query parameter works too (EventSource cannot set headers on its first request).
    const third = new SseReader(
      await app.request(`/workflows/runs/${runId}/events?lastEventId=${seen.at(-1)}`, { headers: alice }),
    );
    const answered = await third.expect('answered');
    seen.push(answered.id);
    const plan = await third.expect('choose');
    seen.push(plan.id);
    await answer(app, runId, plan.data.questionId, 'free');
    seen.push((await third.expect('answered')).id);
    const extras = await third.expect('choose');
    seen.push(extras.id);
    await answer(app, runId, extras.data.questionId, ['audit']);
    for (const event of await third.rest()) seen.push(Number(event.id));

    const all = await new SseReader(await events(app, runId)).rest();
    expect(all.map((event) => Number(event.id))).toEqual(seen);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, index) => index + 1));
    expect(all.at(-1)).toMatchObject({ event: 'completed' });
    expect(JSON.parse(all.at(-1)?.data ?? '{}').result).toBe('Bo joined blue on free with audit');

    const future = await events(app, runId, 999);
    expect(future.status).toBe(400);
    expect(JSON.stringify(await future.json())).toContain('Last-Event-ID');
    const malformed = await events(app, runId, undefined, { ...alice, 'last-event-id': 'abc' });
    expect(malformed.status).toBe(400);
  });

  it("does not reveal another user's run (404 on every run route)", async () => {
    const app = serve();
    const { runId } = await startJson(app, 'waiting');
    const status = await (await app.request(`/workflows/runs/${runId}`, { headers: alice })).json();
    const responses = [
      await app.request(`/workflows/runs/${runId}`, { headers: bob }),
      await events(app, runId, undefined, bob),
      await answer(app, runId, status.questions[0], 'from bob', bob),
      await post(app, `/workflows/runs/${runId}/cancel`, {}, bob),
    ];
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404, 404]);
    const after = await (await app.request(`/workflows/runs/${runId}`, { headers: alice })).json();
    expect(after).toMatchObject({ status: 'running', questions: status.questions });
  });

  it('cancels a run: the stream ends with a cancelled event and answers are refused', async () => {
    const app = serve();
    const response = await post(app, '/workflows/waiting/runs', {}, aliceSse);
    const runId = response.headers.get('x-sightline-run-id') as string;
    const stream = new SseReader(response);
    await stream.expect('started');
    const ask = (await stream.expect('ask')).data;
    const cancelled = await post(app, `/workflows/runs/${runId}/cancel`, {});
    expect(await cancelled.json()).toEqual({ runId, status: 'cancelled' });
    expect((await stream.expect('cancelled')).data).toEqual({
      type: 'cancelled',
      reason: 'cancelled by the user',
    });
    expect(await stream.next()).toBeUndefined();
    const late = await answer(app, runId, ask.questionId, 'too late');
    expect(late.status).toBe(409);
    expect(JSON.stringify(await late.json())).toContain('cancelled');
  });

  it('ends the stream of a workflow that throws with an error event', async () => {
    const app = serve();
    const response = await post(app, '/workflows/failing/runs', {}, aliceSse);
    const stream = new SseReader(response);
    await stream.expect('started');
    await stream.expect('message');
    const error = await stream.expect('error');
    expect(error.data).toMatchObject({
      code: 'internal',
      message: expect.stringContaining('workflow "failing"'),
    });
    expect(JSON.stringify(error.data)).not.toContain('s3cret');
    expect(await stream.next()).toBeUndefined();
    const runId = response.headers.get('x-sightline-run-id') as string;
    expect(await (await app.request(`/workflows/runs/${runId}`, { headers: alice })).json()).toMatchObject({
      status: 'failed',
    });
  });
});
