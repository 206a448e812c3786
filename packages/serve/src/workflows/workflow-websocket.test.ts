/**
 * Workflows over WebSocket against a real listening server (@hono/node-server on port 0) with the `ws`
 * client: the whole conversation, question ids, refusals that keep the connection, auth on the upgrade,
 * resume, cancel, failures, and a router mounted inside a parent app.
 */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerUser } from '../../test/fixtures.ts';
import { failing, onboarding, waiting, waitingState } from '../../test/sample-workflows.ts';
import { type Listening, listen, TestSocket, UpgradeRefused } from '../../test/test-socket.ts';
import { type ServeWorkflowsOptions, serveWorkflows, type WorkflowsRouter } from './workflow-routes.ts';

const alice = { authorization: 'Bearer alice-token' };
const bob = { authorization: 'Bearer bob-token' };
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function start(
  options: Partial<ServeWorkflowsOptions> = {},
): Promise<{ router: WorkflowsRouter; server: Listening; errors: unknown[] }> {
  const errors: unknown[] = [];
  const router = serveWorkflows({
    workflows: [onboarding, failing, waiting],
    getUser: bearerUser,
    tracker: false,
    onError: (error) => errors.push(error),
    ...options,
  });
  const server = await listen(router, (http) => router.injectWebSocket(http));
  cleanup.push(
    () => router.close(),
    () => server.close(),
  );
  return { router, server, errors };
}

/** Opens a WebSocket to `path` of the server (closed after the test). */
async function open(server: Listening, path: string, headers = alice): Promise<TestSocket> {
  const socket = await TestSocket.open(`${server.ws}${path}`, headers);
  cleanup.push(() => socket.close());
  return socket;
}

function connect(server: Listening, name: string, headers = alice): Promise<TestSocket> {
  return open(server, `/workflows/${name}/ws`, headers);
}

async function refusedStatus(url: string, headers: Record<string, string>): Promise<number> {
  try {
    const socket = await TestSocket.open(url, headers);
    socket.close();
    return 101;
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
}

describe('a workflow over WebSocket', () => {
  it('holds the whole conversation: say, ask, secret ask, single and multiple choose, completed', async () => {
    const { server } = await start();
    const socket = await connect(server, 'onboarding');
    socket.send({ type: 'start', params: { team: 'red', seats: 3 } });
    const started = await socket.expect('started');
    expect(started).toEqual({
      type: 'started',
      runId: expect.any(String),
      workflow: 'onboarding',
      // No conversation id given: the run's id in the user's namespace, tracked under itself.
      conversationId: `alice:${started.runId}`,
      trackedConversationId: `alice:${started.runId}`,
      eventId: 1,
    });
    expect(await socket.expect('message')).toEqual({
      type: 'message',
      text: 'Welcome to red (3 seats).',
      eventId: 2,
    });

    const name = await socket.expect('ask');
    expect(name).toEqual({
      type: 'ask',
      questionId: expect.any(String),
      prompt: 'What is your name?',
      suggestions: ['Ada', 'Grace'],
      password: false,
      eventId: 3,
    });
    socket.send({ type: 'answer', questionId: name.questionId, answer: 'Grace' });
    expect(await socket.expect('answered')).toMatchObject({ questionId: name.questionId });

    const pin = await socket.expect('ask');
    expect(pin).toMatchObject({ prompt: 'Choose a PIN', password: true, suggestions: [] });
    expect(pin.questionId).not.toBe(name.questionId);
    socket.send({ type: 'answer', questionId: pin.questionId, answer: '271828' });
    await socket.expect('answered');

    const plan = await socket.expect('choose');
    expect(plan).toMatchObject({ prompt: 'Which plan?', choices: ['free', 'pro'], single: true });
    socket.send({ type: 'answer', questionId: plan.questionId, answer: 'free' });
    await socket.expect('answered');

    const extras = await socket.expect('choose');
    expect(extras).toMatchObject({ choices: ['sso', 'audit', 'support'], single: false });
    socket.send({ type: 'answer', questionId: extras.questionId, answer: ['support', 'sso'] });
    await socket.expect('answered');

    expect((await socket.expect('message')).text).toBe('Thanks Grace, your PIN has 6 digits.');
    expect(await socket.expect('completed')).toMatchObject({
      result: 'Grace joined red on free with support+sso',
    });
    expect(await socket.closed).toEqual({ code: 1000, reason: 'completed' });
    // Event ids count every event once, in order.
    const ids = socket.received.filter((m) => m.type !== 'keep-alive').map((m) => m.eventId);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => index + 1));
  });

  it('refuses an answer with an unknown or stale question id, naming questionId, and keeps waiting', async () => {
    const { server } = await start();
    const socket = await connect(server, 'onboarding');
    socket.send({ type: 'start', params: { team: 'red' } });
    await socket.expect('started');
    await socket.expect('message');
    const name = await socket.expect('ask');

    socket.send({ type: 'answer', questionId: 'made-up', answer: 'Ada' });
    const unknown = await socket.expect('error');
    expect(unknown).toMatchObject({
      code: 'invalid_request',
      refused: true,
      questionId: 'made-up',
      issues: [{ path: 'questionId', message: `must be one of: ${name.questionId}` }],
    });
    expect(unknown.eventId).toBeUndefined();

    socket.send({ type: 'answer', questionId: name.questionId, answer: 'Ada' });
    await socket.expect('answered');
    const pin = await socket.expect('ask');
    // Answering the first question again (a stale id) is refused, not applied to the PIN question.
    socket.send({ type: 'answer', questionId: name.questionId, answer: '0000' });
    expect(await socket.expect('error')).toMatchObject({
      questionId: name.questionId,
      issues: [{ path: 'questionId', message: `must be one of: ${pin.questionId}` }],
    });
    // A wrong answer to the right question is refused too, naming the answer.
    socket.send({ type: 'answer', questionId: pin.questionId, answer: ['1', '2'] });
    expect(await socket.expect('error')).toMatchObject({
      issues: [{ path: 'answer', message: 'must be a string' }],
    });
    socket.send({ type: 'answer', questionId: pin.questionId, answer: '1234' });
    expect(await socket.expect('answered')).toMatchObject({ questionId: pin.questionId });
    expect(await socket.expect('choose')).toMatchObject({ prompt: 'Which plan?' });
  });

  it('refuses invalid JSON, unknown message types and out-of-order messages, and stays connected', async () => {
    const { server } = await start();
    const socket = await connect(server, 'onboarding');
    socket.send('{not json');
    expect(await socket.expect('error')).toMatchObject({ code: 'invalid_json', refused: true });
    socket.send({ type: 'shout', text: 'hi' });
    expect(await socket.expect('error')).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('type must be start, resume, answer, cancel or keep-alive'),
    });
    socket.send({ type: 'answer', questionId: 'q', answer: 'a' });
    expect(await socket.expect('error')).toMatchObject({
      code: 'conflict',
      message: 'start or resume a run first',
    });
    socket.send({ type: 'cancel' });
    expect(await socket.expect('error')).toMatchObject({ code: 'conflict' });
    socket.send({ type: 'start', params: { team: 'blue' }, extra: true });
    expect(await socket.expect('error')).toMatchObject({ code: 'invalid_request', issues: [{ path: '' }] });
    socket.send('{"type":"start","params":{"__proto__":{"admin":true}}}');
    expect(await socket.expect('error')).toMatchObject({ issues: [{ path: 'params.__proto__' }] });
    socket.send({ type: 'keep-alive' });

    socket.send({ type: 'start', params: { team: 'blue' } });
    expect(await socket.expect('started')).toMatchObject({ workflow: 'onboarding' });
    socket.send({ type: 'start', params: { team: 'blue' } });
    expect(await socket.expect('message')).toMatchObject({ text: 'Welcome to blue (1 seat).' });
    expect(await socket.expect('ask')).toMatchObject({ prompt: 'What is your name?' });
    expect(await socket.expect('error')).toMatchObject({
      code: 'conflict',
      message: 'this connection already runs a workflow',
    });
  });

  it('validates the params of start, naming the field, and then starts with valid ones', async () => {
    const { server } = await start();
    const socket = await connect(server, 'onboarding');
    socket.send({ type: 'start', params: { team: '', seats: 500 } });
    const refused = await socket.expect('error');
    expect(refused).toMatchObject({ code: 'invalid_request', refused: true });
    expect(refused.issues).toEqual(
      expect.arrayContaining([
        { path: 'params.team', message: 'must not be empty' },
        expect.objectContaining({ path: 'params.seats' }),
      ]),
    );
    socket.send({ type: 'start' });
    expect(await socket.expect('error')).toMatchObject({
      issues: [expect.objectContaining({ path: 'params.team' })],
    });
    socket.send({ type: 'start', params: { team: 'green' } });
    await socket.expect('started');
  });

  it('applies getUser to the upgrade: 401 without a user, 404 for an unknown workflow', async () => {
    const { server } = await start();
    const url = `${server.ws}/workflows/onboarding/ws`;
    expect(await refusedStatus(url, {})).toBe(401);
    expect(await refusedStatus(url, { authorization: 'Bearer nobody' })).toBe(401);
    expect(await refusedStatus(`${server.ws}/workflows/nope/ws`, alice)).toBe(404);
    expect(await refusedStatus(url, bob)).toBe(101);
    // A plain GET on the WebSocket endpoint says what it expects.
    const plain = await fetch(url.replace('ws:', 'http:'), { headers: alice });
    expect(plain.status).toBe(400);
    expect(JSON.stringify(await plain.json())).toContain('WebSocket');
  });

  it('resumes a run on a new connection from the last event id: every event exactly once', async () => {
    const { server } = await start();
    const first = await connect(server, 'onboarding');
    first.send({ type: 'start', params: { team: 'red' } });
    const started = await first.expect('started');
    await first.expect('message');
    const name = await first.expect('ask');
    first.close();
    await first.closed;

    const second = await connect(server, 'onboarding');
    second.send({ type: 'resume', runId: started.runId, lastEventId: name.eventId });
    second.send({ type: 'answer', questionId: name.questionId, answer: 'Ada' });
    expect(await second.expect('answered')).toMatchObject({ eventId: (name.eventId as number) + 1 });
    const pin = await second.expect('ask');
    second.close();
    await second.closed;

    // From the start: the whole run so far, once each.
    const third = await connect(server, 'onboarding');
    third.send({ type: 'resume', runId: started.runId });
    const replayed = [];
    for (let index = 0; index < 5; index += 1) replayed.push(await third.next());
    expect(replayed.map((m) => [m.eventId, m.type])).toEqual([
      [1, 'started'],
      [2, 'message'],
      [3, 'ask'],
      [4, 'answered'],
      [5, 'ask'],
    ]);
    expect(replayed[4]?.questionId).toBe(pin.questionId);

    // Another user cannot resume it; a future event id is refused.
    const intruder = await connect(server, 'onboarding', bob);
    intruder.send({ type: 'resume', runId: started.runId });
    expect(await intruder.expect('error')).toMatchObject({ code: 'not_found' });
    const early = await connect(server, 'onboarding');
    early.send({ type: 'resume', runId: started.runId, lastEventId: 99 });
    expect(await early.expect('error')).toMatchObject({
      code: 'invalid_request',
      issues: [{ path: 'Last-Event-ID' }],
    });
  });

  it('cancels the run on request: a cancelled event, io.signal aborted, the socket closed', async () => {
    const { server, router } = await start();
    const socket = await connect(server, 'waiting');
    const abortedBefore = waitingState.aborted;
    socket.send({ type: 'start' });
    const started = await socket.expect('started');
    await socket.expect('ask');
    socket.send({ type: 'cancel' });
    expect(await socket.expect('cancelled')).toMatchObject({ reason: 'cancelled by the user' });
    expect(await socket.closed).toEqual({ code: 1000, reason: 'cancelled' });
    expect(router.workflowRuns.run(started.runId as string, 'alice').status).toBe('cancelled');
    expect(waitingState.aborted).toBe(abortedBefore + 1);
  });

  it('ends a workflow that throws with an error event (no internals) and closes', async () => {
    const { server, errors } = await start();
    const socket = await connect(server, 'failing');
    socket.send({ type: 'start' });
    const started = await socket.expect('started');
    await socket.expect('message');
    const error = await socket.expect('error');
    expect(error).toEqual({
      type: 'error',
      code: 'internal',
      message: `workflow "failing" (run ${started.runId}) failed; see the server log and the trace`,
      eventId: 3,
    });
    expect(await socket.closed).toEqual({ code: 1000, reason: 'failed' });
    expect(String(errors[0])).toContain('s3cret');
  });

  it('sends keep-alives while waiting for the person', async () => {
    const { server } = await start({ keepAliveMs: 20 });
    const socket = await connect(server, 'waiting');
    socket.send({ type: 'start' });
    await socket.expect('started');
    await socket.expect('ask');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(socket.keepAlives).toBeGreaterThanOrEqual(2);
    expect(socket.received.find((m) => m.type === 'keep-alive')).toEqual({ type: 'keep-alive' });
  });

  it('closes a connection that sends a message over the size limit (1009)', async () => {
    const { server } = await start({ maxMessageBytes: 1024 });
    const socket = await connect(server, 'waiting');
    socket.send({ type: 'start', params: { padding: 'x'.repeat(2000) } });
    expect((await socket.closed).code).toBe(1009);
  });

  it('keeps working when injectWebSocket is called twice on the same server', async () => {
    const { server, router } = await start();
    router.injectWebSocket(server.server);
    const socket = await connect(server, 'waiting');
    socket.send({ type: 'start' });
    await socket.expect('started');
    const ask = await socket.expect('ask');
    socket.send({ type: 'answer', questionId: ask.questionId, answer: 'twice' });
    await socket.expect('answered');
    expect(await socket.expect('completed')).toMatchObject({ result: 'you said twice' });
  });

  it('cancels a run nobody follows after abandonAfterMs', async () => {
    const { server, router } = await start({ abandonAfterMs: 10 });
    const socket = await connect(server, 'waiting');
    socket.send({ type: 'start' });
    const started = await socket.expect('started');
    await socket.expect('ask');
    router.workflowRuns.sweep(Date.now() + 1000);
    expect(router.workflowRuns.run(started.runId as string, 'alice').status).toBe('running');
    socket.close();
    await socket.closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    router.workflowRuns.sweep();
    const run = router.workflowRuns.run(started.runId as string, 'alice');
    expect(run.status).toBe('cancelled');
  });
});

describe('a workflows router mounted in a parent app', () => {
  for (const prefix of ['/', '/api']) {
    it(`serves WebSockets under "${prefix}" when injectWebSocket gets the parent`, async () => {
      const router = serveWorkflows({ workflows: [waiting], getUser: bearerUser, tracker: false });
      const parent = new Hono();
      // The parent's own middleware sees the upgrade too (it is dispatched through the parent).
      parent.use('*', async (c, next) => {
        if (c.req.header('x-blocked')) return c.text('blocked by the parent', 403);
        await next();
      });
      parent.get('/health', (c) => c.text('ok'));
      parent.route(prefix, router);
      const server = await listen(parent, (http) => router.injectWebSocket(http, parent));
      cleanup.push(
        () => router.close(),
        () => server.close(),
      );
      const base = prefix === '/' ? '' : prefix;

      expect(await (await fetch(`${server.http}/health`)).text()).toBe('ok');
      expect((await fetch(`${server.http}${base}/workflows`)).status).toBe(401);
      const listed = await fetch(`${server.http}${base}/workflows`, { headers: alice });
      expect(((await listed.json()) as { workflows: Array<{ name: string }> }).workflows[0]?.name).toBe(
        'waiting',
      );
      const url = `${server.ws}${base}/workflows/waiting/ws`;
      expect(await refusedStatus(url, {})).toBe(401);
      expect(await refusedStatus(url, { ...alice, 'x-blocked': '1' })).toBe(403);

      const socket = await open(server, `${base}/workflows/waiting/ws`);
      socket.send({ type: 'start' });
      await socket.expect('started');
      const ask = await socket.expect('ask');
      socket.send({ type: 'answer', questionId: ask.questionId, answer: 'mounted' });
      await socket.expect('answered');
      expect(await socket.expect('completed')).toMatchObject({ result: 'you said mounted' });
    });
  }
});
