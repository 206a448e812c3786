import { getEventListeners } from 'node:events';
import { isSightlineError } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { failing, onboarding, waiting } from '../../test/sample-workflows.ts';
import { ServeError } from '../errors.ts';
import { defineWorkflow, type WorkflowEvent } from './workflow.ts';
import { WorkflowRun } from './workflow-run.ts';
import type { AnyWorkflow } from './workflow-runs.ts';

type Started = { run: WorkflowRun; next: () => Promise<WorkflowEvent>; errors: unknown[] };

function start(workflow: AnyWorkflow, params: unknown = {}, maxAnswerChars = 100): Started {
  const errors: unknown[] = [];
  const run = new WorkflowRun({
    workflow,
    params,
    user: { userId: 'alice' },
    userId: 'alice',
    tracker: undefined,
    maxAnswerChars,
    onError: (error) => errors.push(error),
  });
  const frames = run.frames.read(0);
  const next = async () => {
    const frame = await frames.next();
    if (frame.done) throw new Error('the run has no more events');
    return JSON.parse(frame.value.data) as WorkflowEvent;
  };
  return { run, next, errors };
}

/** What `fn` threw, as a SightlineError. */
function refusal(fn: () => void): ServeError {
  try {
    fn();
  } catch (error) {
    if (isSightlineError(error)) return error as ServeError;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function question<T extends 'ask' | 'choose'>(
  next: () => Promise<WorkflowEvent>,
  type: T,
): Promise<Extract<WorkflowEvent, { type: T }>> {
  const event = await next();
  if (event.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(event)}`);
  return event as Extract<WorkflowEvent, { type: T }>;
}

describe('defineWorkflow', () => {
  it('refuses names that cannot be part of a URL', () => {
    for (const name of ['', 'a/b', 'with space', '-leading', 'x'.repeat(101)]) {
      expect(() => defineWorkflow({ name, description: '', run: async () => '' })).toThrow(/workflow name/);
    }
    expect(defineWorkflow({ name: 'ok_name-1.2', description: 'd', run: async () => '' }).name).toBe(
      'ok_name-1.2',
    );
  });
});

describe('a workflow run', () => {
  it('waits for the answer carrying the question id and refuses any other id without guessing', async () => {
    const { run, next } = start(onboarding, { team: 'red', seats: 2 });
    expect(await next()).toMatchObject({ type: 'started', runId: run.runId, workflow: 'onboarding' });
    expect(await next()).toEqual({ type: 'message', text: 'Welcome to red (2 seats).' });
    const name = await question(next, 'ask');
    expect(name).toMatchObject({
      prompt: 'What is your name?',
      suggestions: ['Ada', 'Grace'],
      password: false,
    });

    const unknown = refusal(() => run.answer('not-a-question', 'Ada'));
    expect(unknown.code).toBe('invalid_request');
    expect(unknown.issues).toEqual([{ path: 'questionId', message: `must be one of: ${name.questionId}` }]);
    expect(run.openQuestions).toEqual([name.questionId]);

    run.answer(name.questionId, 'Ada');
    expect(await next()).toEqual({ type: 'answered', questionId: name.questionId });
    const pin = await question(next, 'ask');
    expect(pin.password).toBe(true);
    // The first question was answered: its id is stale now and is refused, naming the one waiting.
    const stale = refusal(() => run.answer(name.questionId, 'Grace'));
    expect(stale.issues).toEqual([{ path: 'questionId', message: `must be one of: ${pin.questionId}` }]);
    expect(run.status).toBe('running');
  });

  it('checks answers: text for asks (bounded), one of the choices, an array for several', async () => {
    const { run, next } = start(onboarding, { team: 'red' }, 10);
    await next();
    await next();
    const name = await question(next, 'ask');
    expect(refusal(() => run.answer(name.questionId, 42)).issues).toEqual([
      { path: 'answer', message: 'must be a string' },
    ]);
    expect(refusal(() => run.answer(name.questionId, 'x'.repeat(11))).issues).toEqual([
      { path: 'answer', message: 'must be at most 10 characters' },
    ]);
    run.answer(name.questionId, 'Ada Lovel');
    await next();
    const pin = await question(next, 'ask');
    run.answer(pin.questionId, '1234');
    await next();
    const plan = await question(next, 'choose');
    expect(plan).toMatchObject({ prompt: 'Which plan?', choices: ['free', 'pro'], single: true });
    expect(refusal(() => run.answer(plan.questionId, 'gold')).issues).toEqual([
      { path: 'answer', message: 'must be one of: free, pro' },
    ]);
    expect(refusal(() => run.answer(plan.questionId, ['pro'])).issues?.[0]?.path).toBe('answer');
    run.answer(plan.questionId, 'pro');
    await next();
    const extras = await question(next, 'choose');
    expect(extras.single).toBe(false);
    expect(refusal(() => run.answer(extras.questionId, 'sso')).issues).toEqual([
      { path: 'answer', message: 'must be an array of choices' },
    ]);
    expect(refusal(() => run.answer(extras.questionId, ['sso', 'vip'])).issues).toEqual([
      { path: 'answer', message: '"vip" is not one of: sso, audit, support' },
    ]);
    run.answer(extras.questionId, ['sso', 'audit', 'sso']);
    await next();
    expect(await next()).toEqual({ type: 'message', text: 'Thanks Ada Lovel, your PIN has 4 digits.' });
    expect(await next()).toEqual({ type: 'completed', result: 'Ada Lovel joined red on pro with sso+audit' });
    await run.done;
    expect(run).toMatchObject({ status: 'completed', result: 'Ada Lovel joined red on pro with sso+audit' });
  });

  it('cancels: the waiting question is abandoned, io.signal aborts, later answers are refused', async () => {
    let signal: AbortSignal | undefined;
    let asked: Promise<string> | undefined;
    const watched = defineWorkflow({
      name: 'watched',
      description: 'd',
      run: async (io) => {
        signal = io.signal;
        asked = io.ask({ prompt: 'Anything?' });
        return await asked;
      },
    });
    const { run, next } = start(watched);
    await next();
    const waitingFor = await question(next, 'ask');
    run.cancel('changed my mind');
    expect(await next()).toEqual({ type: 'cancelled', reason: 'changed my mind' });
    await run.done;
    expect(run.status).toBe('cancelled');
    expect(signal?.aborted).toBe(true);
    await expect(asked).rejects.toThrow('changed my mind');
    expect(run.openQuestions).toEqual([]);
    expect(refusal(() => run.answer(waitingFor.questionId, 'hi')).issues?.[0]?.path).toBe('questionId');
    run.cancel('twice'); // a finished run stays as it ended
    expect(run.status).toBe('cancelled');
  });

  it('ends with a generic error event when the workflow throws, reporting the cause to onError', async () => {
    const { run, next, errors } = start(failing);
    await next();
    expect(await next()).toEqual({ type: 'message', text: 'Starting, then failing.' });
    const error = await next();
    expect(error).toEqual({
      type: 'error',
      code: 'internal',
      message: `workflow "failing" (run ${run.runId}) failed; see the server log and the trace`,
    });
    expect(JSON.stringify(error)).not.toContain('s3cret');
    await run.done;
    expect(run.status).toBe('failed');
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toContain('s3cret');
  });

  it('passes a SightlineError the workflow throws to the person as it is', async () => {
    const picky = defineWorkflow({
      name: 'picky',
      description: 'd',
      run: async (io) => {
        const answer = await io.ask({ prompt: 'Admin code?' });
        throw new ServeError('forbidden', `code ${answer} is not an admin code`);
      },
    });
    const { run, next, errors } = start(picky);
    await next();
    const ask = await question(next, 'ask');
    run.answer(ask.questionId, '0000');
    await next();
    expect(await next()).toEqual({
      type: 'error',
      code: 'forbidden',
      message: 'code 0000 is not an admin code',
    });
    expect(errors).toEqual([]);
    expect(run.status).toBe('failed');
  });

  it('fails a choose without choices, naming the problem', async () => {
    const empty = defineWorkflow({
      name: 'empty',
      description: 'd',
      run: async (io) => io.choose({ prompt: 'Pick', choices: [] }),
    });
    const { next } = start(empty);
    await next();
    expect(await next()).toMatchObject({
      type: 'error',
      code: 'invalid_request',
      message: expect.stringMatching(/at least one choice/),
    });
  });

  it('leaves no abort listener behind for answered questions (30 asks, one listener)', async () => {
    let listeners = -1;
    const quiz = defineWorkflow({
      name: 'quiz',
      description: 'd',
      run: async (io) => {
        for (let round = 0; round < 30; round += 1) await io.ask({ prompt: `Question ${round}` });
        listeners = getEventListeners(io.signal, 'abort').length;
        return 'done';
      },
    });
    const { run, next } = start(quiz);
    await next();
    for (let round = 0; round < 30; round += 1) {
      const ask = await question(next, 'ask');
      run.answer(ask.questionId, String(round));
      await next();
    }
    await run.done;
    expect(run.result).toBe('done');
    expect(listeners).toBe(1); // the run's own, however many questions were asked
  });

  it('treats the waiting workflow as running until answered', async () => {
    const { run, next } = start(waiting);
    await next();
    const ask = await question(next, 'ask');
    expect(run.status).toBe('running');
    run.answer(ask.questionId, 'hello');
    await run.done;
    expect(run.result).toBe('you said hello');
  });
});
