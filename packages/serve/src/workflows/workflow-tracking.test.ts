/**
 * Every workflow run is tracked with no track* call in the workflow: the REAL tracker sends to the
 * tracker's fake collector; the conversation is the run's (customer = the user's id, source = api), what
 * the workflow says and asks are agent messages, the answers human messages, secrets redacted.
 */
import { createTracker, type Tracker } from '@sightline/tracker';
import { type CollectedEvent, FakeCollector } from '@sightline/tracker/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearerUser } from '../../test/fixtures.ts';
import { failing, onboarding, waiting } from '../../test/sample-workflows.ts';
import { type Listening, listen, TestSocket } from '../../test/test-socket.ts';
import { serveWorkflows, type WorkflowsRouter } from './workflow-routes.ts';

const collector = new FakeCollector();
let tracker: Tracker;
let router: WorkflowsRouter;
let server: Listening;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  const endpoint = await collector.start();
  tracker = createTracker({ endpoint, apiKey: 'sl_ingest_test', flushIntervalMs: 50, exitHooks: false });
  router = serveWorkflows({
    workflows: [onboarding, failing, waiting],
    getUser: bearerUser,
    tracker,
    onError: () => undefined,
  });
  server = await listen(router, (http) => router.injectWebSocket(http));
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});
afterAll(async () => {
  await router.close();
  await server.close();
  await tracker.shutdown();
  await collector.stop();
});

async function connect(name: string): Promise<TestSocket> {
  const socket = await TestSocket.open(`${server.ws}/workflows/${name}/ws`, {
    authorization: 'Bearer alice-token',
  });
  sockets.push(socket);
  return socket;
}

async function answerNext(socket: TestSocket, type: 'ask' | 'choose', answer: unknown): Promise<void> {
  const question = await socket.expect(type);
  socket.send({ type: 'answer', questionId: question.questionId, answer });
  await socket.expect('answered');
}

function messagesOf(events: CollectedEvent[]): Array<[unknown, unknown]> {
  return events
    .filter((event) => event.type === 'message')
    .map((event) => [event.body.role, event.body.content]);
}

describe('tracking of workflow runs', () => {
  it('records the conversation: says and asks as agent messages, answers as human ones, the secret redacted', async () => {
    const socket = await connect('onboarding');
    socket.send({ type: 'start', params: { team: 'red' } });
    const started = await socket.expect('started');
    await socket.expect('message');
    await answerNext(socket, 'ask', 'Ada');
    await answerNext(socket, 'ask', '271828');
    await answerNext(socket, 'choose', 'pro');
    await answerNext(socket, 'choose', ['sso', 'audit']);
    await socket.expect('message');
    await socket.expect('completed');
    expect((await tracker.flush()).failed).toBe(0);

    const events = collector.eventsOf(started.conversationId as string);
    expect(messagesOf(events)).toEqual([
      ['agent', 'Welcome to red (1 seat).'],
      ['agent', 'What is your name?'],
      ['human', 'Ada'],
      ['agent', 'Choose a PIN'],
      ['human', '[redacted]'],
      ['agent', 'Which plan?'],
      ['human', 'pro'],
      ['agent', 'Which extras?'],
      ['human', 'sso, audit'],
      ['agent', 'Thanks Ada, your PIN has 6 digits.'],
      ['agent', 'Ada joined red on pro with sso+audit'],
    ]);
    for (const event of events) expect(event.body).toMatchObject({ customerId: 'alice', source: 'api' });
    expect(JSON.stringify(events)).not.toContain('271828');
    const conversation = events.filter((event) => event.type === 'conversation');
    expect(conversation[0]?.body).toMatchObject({ name: 'workflow onboarding' });
    expect(conversation.at(-1)?.body.endedAt).toEqual(expect.any(String));
    const step = events.find((event) => event.type === 'step' && event.body.name === 'workflow:onboarding');
    expect(step?.body).toMatchObject({ type: 'run', input: { team: 'red', seats: 1 } });
    // Each message says which question it asked or answered.
    const asked = events.find((event) => event.body.content === 'Choose a PIN');
    const answered = events.find((event) => event.body.content === '[redacted]');
    expect(asked?.body.metadata).toMatchObject({ kind: 'ask', questionId: expect.any(String) });
    const questionOf = (event: CollectedEvent | undefined) =>
      (event?.body.metadata as { questionId?: string } | undefined)?.questionId;
    expect(questionOf(answered)).toBe(questionOf(asked));
  });

  it('tracks under the conversation id the client chose, and records a failure as a step with its error', async () => {
    const socket = await connect('failing');
    socket.send({ type: 'start', conversationId: 'support-thread-42' });
    expect(await socket.expect('started')).toMatchObject({
      conversationId: 'support-thread-42',
      trackedConversationId: 'alice:support-thread-42',
    });
    await socket.expect('message');
    await socket.expect('error');
    await tracker.flush();
    // Alice's own conversation of that id: another user choosing it would get theirs.
    const events = collector.eventsOf('alice:support-thread-42');
    expect(messagesOf(events)).toEqual([['agent', 'Starting, then failing.']]);
    const failure = events.find((event) => event.type === 'step' && event.body.name === 'workflow_failed');
    expect(failure?.body).toMatchObject({
      customerId: 'alice',
      error: { message: expect.stringContaining('refused') },
    });
  });

  it('ends the tracked conversation of a cancelled run', async () => {
    const socket = await connect('waiting');
    socket.send({ type: 'start' });
    const started = await socket.expect('started');
    await socket.expect('ask');
    socket.send({ type: 'cancel' });
    await socket.expect('cancelled');
    await tracker.flush();
    const events = collector.eventsOf(started.conversationId as string);
    expect(messagesOf(events)).toEqual([['agent', 'Anything to say?']]);
    expect(events.filter((event) => event.type === 'conversation').at(-1)?.body.endedAt).toEqual(
      expect.any(String),
    );
  });
});
