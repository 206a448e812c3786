/**
 * The evaluation runner on SQLite and PostgreSQL: a code evaluator over 20 conversations writes 20
 * scores (source code, replaced not duplicated when run again); sampling 0.5 scores about half, the same
 * half every time; a judge verdict stores the judge's run as a conversation the score's judgeRunId
 * names; a failing evaluator is counted and the others go on; the background pass evaluates idle
 * conversations only, once, and never the judge runs; the filtered run follows the list's filters.
 */
import { codeEvaluator, type Evaluator, newId, parseIngestRequest } from '@sightline/core';
import { createStore, type Store } from '@sightline/store';
import { createTestPostgresStore } from '@sightline/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { EvaluationRunner, type EvaluationRunnerOptions } from './evaluation-runner.ts';
import { isSampled } from './evaluation-sampling.ts';
import { JUDGE_RUN_SOURCE } from './verdict-events.ts';

const logger = createLogger({ level: 'silent' });

/** Stores a conversation: a question, then an answer `answer`, the last event `agoMs` ago. */
async function seed(
  store: Store,
  projectId: string,
  id: string,
  options: { answer: string; agoMs?: number; environment?: string },
) {
  const at = Date.now() - (options.agoMs ?? 120_000);
  const event = (offset: number, role: string, content: string) => ({
    id: newId(),
    type: 'message',
    timestamp: new Date(at + offset).toISOString(),
    body: {
      conversationId: id,
      source: 'web',
      environment: options.environment ?? 'production',
      role,
      content,
    },
  });
  const { events } = parseIngestRequest({
    events: [event(-10, 'human', 'hi'), event(0, 'agent', options.answer)],
  });
  await store.append(projectId, events);
}

const answerLength = codeEvaluator({
  name: 'answer-length',
  dataType: 'numeric',
  evaluate: (conversation) => {
    const answer = conversation.messages.find((m) => m.role === 'agent');
    return answer ? { value: answer.content.length, comment: 'characters' } : undefined;
  },
});

const runner = (store: Store, options: Partial<EvaluationRunnerOptions> = {}) =>
  new EvaluationRunner({ store, logger, options: { evaluators: [answerLength], ...options } });

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`evaluation runner (${dialect})`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    let projectId: string;

    beforeAll(async () => {
      if (dialect === 'postgres') {
        const pg = await createTestPostgresStore();
        store = pg.store;
        drop = pg.drop;
      } else {
        store = createStore({ database: ':memory:' });
        await store.migrate();
        drop = () => store.close();
      }
    });
    afterAll(() => drop());

    const freshProject = async () => {
      projectId = (await store.createProject({ name: newId() })).id;
      return projectId;
    };

    it('a code evaluator over 20 conversations writes 20 scores, replaced when run again', async () => {
      await freshProject();
      const ids = Array.from({ length: 20 }, (_, i) => `conv-${i}`);
      for (const [i, id] of ids.entries()) await seed(store, projectId, id, { answer: 'x'.repeat(i + 1) });
      const counts = await runner(store).evaluateConversations(projectId, ids);
      expect(counts).toEqual({ conversations: 20, sampledOut: 0, scored: 20, skipped: 0, failed: 0 });
      for (const [i, id] of ids.entries()) {
        const detail = await store.getConversation(projectId, id);
        expect(detail?.scores).toHaveLength(1);
        expect(detail?.scores[0]).toMatchObject({ name: 'answer-length', value: i + 1, source: 'code' });
        expect(detail?.scores[0]?.comment).toBe('characters');
      }
      await runner(store).evaluateConversations(projectId, ids);
      expect((await store.getConversation(projectId, 'conv-7'))?.scores).toHaveLength(1);
    });

    it('sampling 0.5 scores about half, the same conversations every time', async () => {
      await freshProject();
      const ids = Array.from({ length: 40 }, (_, i) => `sampled-${i}`);
      for (const id of ids) await seed(store, projectId, id, { answer: 'ok' });
      const first = await runner(store).evaluateConversations(projectId, ids, { sampleRate: 0.5 });
      expect(first.scored + first.sampledOut).toBe(40);
      expect(first.scored).toBeGreaterThanOrEqual(12);
      expect(first.scored).toBeLessThanOrEqual(28);
      const expected = ids.filter((id) => isSampled(id, 0.5));
      expect(first.scored).toBe(expected.length);
      for (const id of ids) {
        const scores = (await store.getConversation(projectId, id))?.scores ?? [];
        expect(scores.length).toBe(expected.includes(id) ? 1 : 0);
      }
      const again = await runner(store).evaluateConversations(projectId, ids, { sampleRate: 0.5 });
      expect(again.scored).toBe(first.scored);
    });

    it('a judge verdict stores the judge run as a conversation that judgeRunId names', async () => {
      await freshProject();
      await seed(store, projectId, 'judged', {
        answer: 'Your refund is on its way.',
        environment: 'staging',
      });
      const judge: Evaluator = {
        name: 'helpful',
        source: 'model',
        dataType: 'boolean',
        evaluate: () => ({
          value: true,
          comment: 'mentions the refund',
          judgeRun: {
            conversationId: 'judge-run-1',
            model: 'test-judge',
            instructions: 'Grade helpfulness.',
            prompt: 'agent: Your refund is on its way.',
            answer: '{"value":true,"reason":"mentions the refund"}',
            startedAt: Date.now() - 50,
            endedAt: Date.now(),
            usage: { inputTokens: 12, outputTokens: 9 },
          },
        }),
      };
      const counts = await runner(store, { evaluators: [judge] }).evaluateConversations(projectId, [
        'judged',
      ]);
      expect(counts.scored).toBe(1);
      const score = (await store.getConversation(projectId, 'judged'))?.scores[0];
      expect(score).toMatchObject({
        name: 'helpful',
        value: true,
        source: 'model',
        judgeRunId: 'judge-run-1',
      });
      const run = await store.getConversation(projectId, 'judge-run-1');
      expect(run?.conversation).toMatchObject({
        source: JUDGE_RUN_SOURCE,
        environment: 'staging',
        tags: ['judge'],
      });
      expect(run?.messages.map((m) => m.role)).toEqual(['system', 'human', 'agent']);
      expect(run?.messages[2]?.content).toBe('{"value":true,"reason":"mentions the refund"}');
      expect(run?.steps[0]).toMatchObject({ type: 'llm', name: 'test-judge' });
      expect(run?.conversation.metadata).toMatchObject({ evaluatedConversationId: 'judged' });
    });

    it('a failing evaluator and an invalid verdict are counted and the others go on', async () => {
      await freshProject();
      for (const id of ['f-1', 'f-2', 'f-3']) await seed(store, projectId, id, { answer: 'fine' });
      const failing = codeEvaluator({
        name: 'broken',
        evaluate: (conversation) => {
          if (conversation.conversation.id === 'f-2') throw new Error('boom');
          return { value: 1 };
        },
      });
      const invalid = codeEvaluator({ name: 'not-finite', evaluate: () => ({ value: Number.NaN }) });
      const counts = await runner(store, {
        evaluators: [failing, invalid, answerLength],
      }).evaluateConversations(projectId, ['f-1', 'f-2', 'f-3', 'missing']);
      expect(counts).toEqual({ conversations: 4, sampledOut: 0, scored: 5, skipped: 3, failed: 4 });
      const names = (id: string) =>
        store.getConversation(projectId, id).then((d) => d?.scores.map((s) => s.name).sort());
      expect(await names('f-1')).toEqual(['answer-length', 'broken']);
      expect(await names('f-2')).toEqual(['answer-length']);
    });

    it('the background pass evaluates conversations once idle, once, and never judge runs', async () => {
      const project = await freshProject();
      await seed(store, project, 'idle', { answer: 'a', agoMs: 5_000 });
      await seed(store, project, 'busy', { answer: 'b', agoMs: 0 });
      const judge: Evaluator = {
        name: 'judged',
        source: 'model',
        evaluate: (conversation) => ({
          value: 1,
          judgeRun: {
            conversationId: `judge-of-${conversation.conversation.id}`,
            model: 'm',
            instructions: 'i',
            prompt: 'p',
            answer: 'a',
            startedAt: Date.now() - 5_000,
            endedAt: Date.now() - 5_000,
          },
        }),
      };
      const options = {
        evaluators: [judge],
        idleSeconds: 2,
        projectIds: [project],
        since: Date.now() - 60_000,
      };
      const background = runner(store, options);
      await background.runBackgroundPass();
      expect(background.stats()).toMatchObject({ conversations: 1, scored: 1, failed: 0 });
      expect((await store.getConversation(project, 'idle'))?.scores).toHaveLength(1);
      expect((await store.getConversation(project, 'busy'))?.scores).toHaveLength(0);
      expect(await store.hasConversation(project, 'judge-of-idle')).toBe(true);
      await background.runBackgroundPass();
      expect(background.stats().conversations).toBe(1);
      await background.stop();
      // A runner looking from the same time sees the idle conversation again, never the judge run.
      const another = runner(store, options);
      await another.runBackgroundPass();
      expect(another.stats()).toMatchObject({ conversations: 1, scored: 1 });
      expect(await store.hasConversation(project, 'judge-of-judge-of-idle')).toBe(false);
    });

    it('refuses two evaluators of one name', () => {
      expect(() => runner(store, { evaluators: [answerLength, answerLength] })).toThrow(
        'evaluator names must differ (got answer-length, answer-length)',
      );
    });

    it('evaluateFiltered follows the list filters', async () => {
      await freshProject();
      await seed(store, projectId, 'has-refund', { answer: 'refund sent' });
      await seed(store, projectId, 'no-refund', { answer: 'hello' });
      const counts = await runner(store).evaluateFiltered(projectId, { search: 'refund' });
      expect(counts).toMatchObject({ conversations: 1, scored: 1 });
      expect((await store.getConversation(projectId, 'has-refund'))?.scores).toHaveLength(1);
    });
  });
}
