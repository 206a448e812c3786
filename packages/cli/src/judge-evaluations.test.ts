/**
 * A model judge end to end, on SQLite and PostgreSQL: @sightline/agents' modelEvaluator with the offline
 * demo judge, run by @sightline/server's EvaluationRunner over stored conversations; each score has
 * source `model` and a judgeRunId naming a stored conversation that holds the judge's run (rubric,
 * transcript, verdict, an llm step with the demo judge's tokens).
 */
import { demoJudgeModel, modelEvaluator } from '@sightline/agents';
import { newId, parseIngestRequest } from '@sightline/core';
import { createLogger, EvaluationRunner, JUDGE_RUN_SOURCE } from '@sightline/server';
import { createStore, type Store } from '@sightline/store';
import { createTestPostgresStore } from '@sightline/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function seed(store: Store, projectId: string, id: string, answer: string) {
  const at = Date.now() - 60_000;
  const message = (offset: number, role: string, content: string) => ({
    id: newId(),
    type: 'message',
    timestamp: new Date(at + offset).toISOString(),
    body: { conversationId: id, role, content },
  });
  const { events } = parseIngestRequest({
    events: [message(0, 'human', 'Where is my refund?'), message(10, 'agent', answer)],
  });
  await store.append(projectId, events);
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`a demo model judge through the runner (${dialect})`, () => {
    let store: Store;
    let drop: () => Promise<void>;

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

    it('writes model scores whose judgeRunId names the stored judge run', async () => {
      const projectId = (await store.createProject({ name: 'judged' })).id;
      await seed(store, projectId, 'good', 'Your refund was sent today.');
      await seed(store, projectId, 'bad', 'Hello! How can I help?');
      const judge = modelEvaluator({
        name: 'mentions-refund',
        model: demoJudgeModel(),
        rubric: 'Pass if the agent mentions "refund".',
      });
      const runner = new EvaluationRunner({
        store,
        logger: createLogger({ level: 'silent' }),
        options: { evaluators: [judge] },
      });
      const counts = await runner.evaluateConversations(projectId, ['good', 'bad']);
      expect(counts).toEqual({ conversations: 2, sampledOut: 0, scored: 2, skipped: 0, failed: 0 });

      for (const [id, value] of [
        ['good', true],
        ['bad', false],
      ] as const) {
        const score = (await store.getConversation(projectId, id))?.scores[0];
        expect(score).toMatchObject({ name: 'mentions-refund', value, dataType: 'boolean', source: 'model' });
        expect(score?.judgeRunId).toMatch(/^judge-/);
        const run = await store.getConversation(projectId, score?.judgeRunId ?? '');
        expect(run?.conversation).toMatchObject({
          source: JUDGE_RUN_SOURCE,
          metadata: { evaluatedConversationId: id },
        });
        expect(run?.messages.map((m) => m.role)).toEqual(['system', 'human', 'agent']);
        expect(run?.messages[0]?.content).toContain('Pass if the agent mentions "refund".');
        expect(run?.messages[2]?.content).toContain(`"value":${value}`);
        expect(score?.comment).toBe(value ? 'the agent said "refund"' : 'the agent said none of "refund"');
        expect(run?.steps[0]).toMatchObject({ type: 'llm', name: 'sightline-demo-judge' });
        expect(run?.totals.inputTokens).toBeGreaterThan(0);
      }
    });
  });
}
