/**
 * The learning chat against a real server (port 0) with the offline demo model: driven over WebSocket
 * with the `ws` client, by the terminal client of the README, and tracked into the tracker's fake
 * collector with no tracking code in the workflow.
 */
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createTracker } from '@sightline/tracker';
import { FakeCollector } from '@sightline/tracker/testing';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLearningChatApp, type LearningChatAppOptions } from './app.ts';
import { CONTINUE, STOP } from './learning-chat.ts';

type Message = { type: string; [field: string]: unknown };
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** Serves the app on a free port; resolves to its ws:// base URL. */
async function start(options: LearningChatAppOptions = {}): Promise<string> {
  const chat = createLearningChatApp(options);
  const server = await new Promise<Server>((resolve) => {
    const listening = serve({ fetch: chat.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(listening as Server),
    ) as Server;
  });
  chat.injectWebSocket(server);
  cleanup.push(
    () => chat.close(),
    () => new Promise<void>((resolve) => server.close(() => resolve())),
  );
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A WebSocket client that awaits the server's messages one by one (keep-alives skipped). */
async function connect(
  url: string,
  headers: Record<string, string> = { authorization: 'Bearer alice-token' },
) {
  const socket = new WebSocket(url, { headers });
  const queue: Message[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Message;
    if (message.type !== 'keep-alive') queue.push(message);
    wake?.();
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${response.statusCode}`)),
    );
  });
  cleanup.push(() => socket.close());
  const next = async (): Promise<Message> => {
    const deadline = Date.now() + 10_000;
    while (queue.length === 0) {
      if (Date.now() > deadline) throw new Error('no message from the server');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    return queue.shift() as Message;
  };
  const send = (message: unknown) => socket.send(JSON.stringify(message));
  return { next, send, closed };
}

describe('learning chat over WebSocket', () => {
  it('asks for the subject first, then shows the student and the teacher talking, and completes', async () => {
    const base = await start();
    const { next, send, closed } = await connect(`${base}/workflows/learning_chat/ws`);
    send({ type: 'start', params: { rounds: 3 } });
    expect(await next()).toMatchObject({ type: 'started', workflow: 'learning_chat' });
    const subject = await next();
    expect(subject).toMatchObject({
      type: 'ask',
      prompt: 'What subject do you want to learn about?',
      suggestions: ['Photosynthesis', 'Fractions', 'The water cycle'],
    });
    send({ type: 'answer', questionId: subject.questionId, answer: 'Photosynthesis' });
    expect(await next()).toMatchObject({ type: 'answered', questionId: subject.questionId });
    expect((await next()).text).toBe(
      "Let's learn about Photosynthesis. The student asks, the teacher explains.",
    );

    const lines: string[] = [];
    for (let round = 1; round <= 3; round += 1) {
      lines.push((await next()).text as string, (await next()).text as string);
      if (round === 3) break;
      const more = await next();
      expect(more).toMatchObject({
        type: 'choose',
        prompt: 'Continue the lesson?',
        choices: [CONTINUE, STOP],
        single: true,
      });
      send({ type: 'answer', questionId: more.questionId, answer: CONTINUE });
      expect((await next()).type).toBe('answered');
    }
    expect(lines).toEqual([
      'Student: [demo model] What is Photosynthesis, in simple words?',
      expect.stringMatching(/^Teacher: \[demo model\] Photosynthesis is how plants make their own food/),
      'Student: [demo model] Why does Photosynthesis matter?',
      expect.stringMatching(/^Teacher: \[demo model\] Almost every food chain starts with it/),
      'Student: [demo model] Can you give me an example of Photosynthesis?',
      expect.stringMatching(/^Teacher: \[demo model\] A leaf on a sunny windowsill/),
    ]);
    expect(await next()).toMatchObject({
      type: 'completed',
      result: 'Lesson on Photosynthesis: the student asked 3 questions and the teacher answered each.',
    });
    expect(await closed).toBe(1000);
  });

  it('stops when the person has had enough, and teaches any subject', async () => {
    const base = await start();
    const { next, send } = await connect(`${base}/workflows/learning_chat/ws?token=bob-token`, {});
    send({ type: 'start' });
    await next();
    const subject = await next();
    send({ type: 'answer', questionId: subject.questionId, answer: 'Volcanoes' });
    await next();
    await next();
    expect((await next()).text).toBe('Student: [demo model] What is Volcanoes, in simple words?');
    expect((await next()).text).toMatch(
      /^Teacher: \[demo model\] Volcanoes is easiest to understand from its core idea/,
    );
    const more = await next();
    send({ type: 'answer', questionId: more.questionId, answer: STOP });
    await next();
    expect((await next()).result).toBe(
      'Lesson on Volcanoes: the student asked 1 question and the teacher answered each.',
    );
  });

  it('refuses a connection without a user, and rounds outside 1..5 naming the field', async () => {
    const base = await start();
    await expect(connect(`${base}/workflows/learning_chat/ws`, {})).rejects.toThrow('HTTP 401');
    const { next, send } = await connect(`${base}/workflows/learning_chat/ws`);
    send({ type: 'start', params: { rounds: 9 } });
    expect(await next()).toMatchObject({
      type: 'error',
      issues: [{ path: 'params.rounds', message: 'must be at most 5' }],
    });
  });

  it('is tracked with no tracking code: the subject as a human message, every line as an agent message', async () => {
    const collector = new FakeCollector();
    const endpoint = await collector.start();
    const tracker = createTracker({
      endpoint,
      apiKey: 'sl_ingest_test',
      flushIntervalMs: 50,
      exitHooks: false,
    });
    cleanup.push(
      () => collector.stop(),
      async () => void (await tracker.shutdown()),
    );
    const base = await start({ tracker });
    const { next, send } = await connect(`${base}/workflows/learning_chat/ws`);
    send({ type: 'start', params: { rounds: 1 } });
    const started = await next();
    const subject = await next();
    send({ type: 'answer', questionId: subject.questionId, answer: 'Fractions' });
    for (let message = await next(); message.type !== 'completed'; message = await next()) {
      // read up to the end of the run
    }
    await tracker.flush();
    const events = collector.eventsOf(started.conversationId as string);
    const messages = events.filter((event) => event.type === 'message');
    expect(messages.map((event) => [event.body.role, event.body.content])).toEqual([
      ['agent', 'What subject do you want to learn about?'],
      ['human', 'Fractions'],
      ['agent', "Let's learn about Fractions. The student asks, the teacher explains."],
      ['agent', 'Student: [demo model] What is Fractions, in simple words?'],
      ['agent', expect.stringMatching(/^Teacher: \[demo model\] A fraction is a part of a whole/)],
      ['agent', 'Lesson on Fractions: the student asked 1 question and the teacher answered each.'],
    ]);
    expect(messages[0]?.body).toMatchObject({ customerId: 'alice', source: 'api' });
  });
});

describe('the terminal client of the README', () => {
  it('runs a whole lesson from typed answers', async () => {
    const base = await start();
    const client = fileURLToPath(new URL('./client.ts', import.meta.url));
    const output = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        [client, base, 'alice-token'],
        { timeout: 20_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
      child.stdin?.end('Fractions\n1\n1\n');
    });
    expect(output).toContain(
      'What subject do you want to learn about? (e.g. Photosynthesis, Fractions, The water cycle) >',
    );
    expect(output).toContain('Student: [demo model] What is Fractions, in simple words?');
    expect(output).toContain('Teacher: [demo model] A fraction is a part of a whole');
    expect(output).toContain('  1. Keep going\n  2. That is enough');
    expect(output).toContain('Teacher: [demo model] They are everywhere we share or measure');
    expect(output).toContain(
      'Lesson on Fractions: the student asked 3 questions and the teacher answered each.',
    );
  });
});
