/**
 * Conformance cases of the store suite: scores on a conversation, a message and a step (numeric,
 * boolean, categorical; human, code, model), replaced by id (the later write wins in any arrival
 * order), aggregated per name over time, per customer and per agent version, and as list filters; a
 * score is not activity; platform and automatic feedback stay apart from the customers'.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import {
  type EventContext,
  feedbackEvent,
  messageEvent,
  parseEvents,
  scoreEvent,
  stepEvent,
} from './events.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 3, 6, 9, 0, 0);

/** One answered turn of a version: a run step holding a model call and a tool call, then the answer. */
function versionTurn(
  ctx: EventContext & { agentVersion: string },
  options: { at: number; runMs: number; toolError?: boolean; messageId: string },
) {
  const run = stepEvent(ctx, { type: 'run', name: 'Agent run', at: options.at, durationMs: options.runMs });
  const runId = (run.body as { stepId: string }).stepId;
  return [
    messageEvent(ctx, { role: 'human', content: 'question', at: options.at }),
    run,
    stepEvent(ctx, {
      type: 'llm',
      name: 'demo',
      parentId: runId,
      at: options.at + 10,
      durationMs: 100,
      usage: { model: 'demo', inputTokens: 10, outputTokens: 5, costUsd: 0.25 },
    }),
    stepEvent(ctx, {
      type: 'tool',
      name: 'lookup',
      parentId: runId,
      at: options.at + 200,
      durationMs: 20,
      ...(options.toolError ? { error: 'lookup failed' } : {}),
    }),
    messageEvent(ctx, {
      role: 'agent',
      content: 'answer',
      at: options.at + options.runMs,
      messageId: options.messageId,
    }),
  ];
}

/** Registers the score cases; `target` gives the suite's store. */
export function describeScores(target: () => { store: Store }): void {
  describe('scores', () => {
    let project: string;
    const a = { conversationId: 's-a', customerId: 'sc-1', agentVersion: 'support@aaaaaaaaaaaa' };
    const b = { conversationId: 's-b', customerId: 'sc-2', agentVersion: 'support@bbbbbbbbbbbb' };
    const c = { conversationId: 's-c', customerId: 'sc-1', agentVersion: 'support@bbbbbbbbbbbb' };

    beforeAll(async () => {
      const { store } = target();
      project = (await store.createProject({ name: 'scores' })).id;
      await store.append(
        project,
        parseEvents([
          ...versionTurn(a, { at: T0, runMs: 1_000, messageId: 'a-answer' }),
          ...versionTurn(b, { at: T0 + HOUR, runMs: 3_000, toolError: true, messageId: 'b-answer' }),
          ...versionTurn(c, { at: T0 + 2 * HOUR, runMs: 2_000, messageId: 'c-answer' }),
        ]),
      );
      const plain = (ctx: EventContext) => ({ conversationId: ctx.conversationId });
      await store.append(
        project,
        parseEvents([
          scoreEvent(plain(a), {
            name: 'thumbs',
            value: true,
            source: 'human',
            messageId: 'a-answer',
            at: T0 + 5 * MINUTE,
            comment: 'spot on',
            scoreId: 'thumb-a',
          }),
          scoreEvent(plain(a), { name: 'helpfulness', value: 0.5, source: 'model', at: T0 + 6 * MINUTE }),
          scoreEvent(plain(b), {
            name: 'thumbs',
            value: false,
            source: 'human',
            messageId: 'b-answer',
            at: T0 + HOUR + 5 * MINUTE,
          }),
          scoreEvent(plain(b), {
            name: 'helpfulness',
            value: 0.25,
            source: 'model',
            at: T0 + HOUR + 6 * MINUTE,
          }),
          scoreEvent(plain(b), {
            name: 'topic',
            value: 'billing',
            source: 'code',
            at: T0 + HOUR + 7 * MINUTE,
          }),
          scoreEvent(plain(c), {
            name: 'topic',
            value: 'billing',
            source: 'code',
            at: T0 + 2 * HOUR + 7 * MINUTE,
          }),
          scoreEvent(plain(c), {
            name: 'helpfulness',
            value: 1,
            source: 'model',
            at: T0 + 2 * HOUR + 8 * MINUTE,
          }),
        ]),
      );
    });

    it('stores scores on a conversation, a message and a step, shown with their conversation', async () => {
      const { store } = target();
      const detail = await store.getConversation(project, 's-a');
      const runStep = detail?.steps.find((step) => step.type === 'run');
      expect(runStep?.agentVersion).toBe(a.agentVersion);
      await store.append(
        project,
        parseEvents([
          scoreEvent(
            { conversationId: 's-a' },
            {
              name: 'latency-ok',
              value: true,
              source: 'code',
              stepId: runStep?.id ?? '',
              at: T0 + 7 * MINUTE,
              scoreId: 'step-score',
            },
          ),
        ]),
      );
      const scores = (await store.getConversation(project, 's-a'))?.scores ?? [];
      expect(
        scores.map((s) => [s.name, s.dataType, s.value, s.source, s.messageId, s.stepId, s.agentVersion]),
      ).toEqual([
        ['thumbs', 'boolean', true, 'human', 'a-answer', null, a.agentVersion],
        ['helpfulness', 'numeric', 0.5, 'model', null, null, a.agentVersion],
        ['latency-ok', 'boolean', true, 'code', null, runStep?.id, a.agentVersion],
      ]);
      expect(scores[0]).toMatchObject({ id: 'thumb-a', comment: 'spot on', conversationId: 's-a' });
      expect((await store.getConversation(project, 's-b'))?.scores.map((s) => s.value)).toEqual([
        false,
        0.25,
        'billing',
      ]);
    });

    it('replaces a score by its id: the later write wins in any arrival order, counted once', async () => {
      const { store } = target();
      const ctx = { conversationId: 's-a' };
      const at = T0 + 30 * MINUTE;
      const down = scoreEvent(ctx, {
        name: 'thumbs',
        value: false,
        source: 'human',
        messageId: 'a-answer',
        scoreId: 'thumb-a',
        at,
        comment: 'changed my mind',
      });
      const older = scoreEvent(ctx, {
        name: 'thumbs',
        value: true,
        source: 'human',
        messageId: 'a-answer',
        scoreId: 'thumb-a',
        at: at - MINUTE,
      });
      await store.append(project, parseEvents([down]));
      await store.append(project, parseEvents([older]));
      const thumbs = (await store.getConversation(project, 's-a'))?.scores.filter((s) => s.name === 'thumbs');
      expect(thumbs?.map((s) => [s.id, s.value, s.comment])).toEqual([['thumb-a', false, 'changed my mind']]);
      const metrics = await store.getMetrics(project, { from: T0, to: T0 + 3 * HOUR, bucket: 'hour' });
      const human = metrics.scores.find((s) => s.name === 'thumbs');
      expect(human).toMatchObject({ dataType: 'boolean', source: 'human', count: 2, average: 0 });
      // Same id twice in one batch: the later event stands.
      const first = scoreEvent(ctx, { name: 'mood', value: 'calm', scoreId: 'mood-1', at: at + MINUTE });
      const second = scoreEvent(ctx, {
        name: 'mood',
        value: 'upset',
        scoreId: 'mood-1',
        at: at + 2 * MINUTE,
      });
      await store.append(project, parseEvents([second, first]));
      const mood = (
        await store.getMetrics(project, { from: T0, to: T0 + 3 * HOUR, bucket: 'day' })
      ).scores.find((s) => s.name === 'mood');
      expect(mood).toMatchObject({ count: 1, average: null, categories: [{ value: 'upset', count: 1 }] });
    });

    it('aggregates scores per name and source over time, per customer and per agent version', async () => {
      const { store } = target();
      const metrics = await store.getMetrics(project, { from: T0, to: T0 + 3 * HOUR - 1, bucket: 'hour' });
      const helpfulness = metrics.scores.find((s) => s.name === 'helpfulness');
      expect(helpfulness).toMatchObject({ dataType: 'numeric', source: 'model', count: 3 });
      expect(helpfulness?.average).toBeCloseTo((0.5 + 0.25 + 1) / 3);
      expect(helpfulness?.series.map((p) => [p.count, p.average])).toEqual([
        [1, 0.5],
        [1, 0.25],
        [1, 1],
      ]);
      const topic = metrics.scores.find((s) => s.name === 'topic');
      expect(topic).toMatchObject({
        dataType: 'categorical',
        source: 'code',
        count: 2,
        average: null,
        categories: [{ value: 'billing', count: 2 }],
      });
      const customers = (await store.listCustomers(project, { limit: 10 })).data;
      const sc1 = customers.find((row) => row.customerId === 'sc-1');
      expect(sc1?.scores.find((s) => s.name === 'helpfulness')).toMatchObject({ count: 2, average: 0.75 });
      const compared = await store.compareAgentVersions(project, {
        from: T0,
        to: T0 + 3 * HOUR,
        versions: [a.agentVersion, b.agentVersion],
      });
      expect(compared.versions.map((v) => v.agentVersion)).toEqual([a.agentVersion, b.agentVersion]);
      const [va, vb] = compared.versions;
      expect(va).toMatchObject({
        runs: 1,
        conversations: 1,
        llmCalls: 1,
        toolCalls: 1,
        toolErrors: 0,
        costUsd: 0.25,
        costPerRun: 0.25,
        costPerConversation: 0.25,
      });
      expect(vb).toMatchObject({
        runs: 2,
        conversations: 2,
        llmCalls: 2,
        toolCalls: 2,
        toolErrors: 1,
        toolErrorRate: 0.5,
        costUsd: 0.5,
        costPerRun: 0.25,
      });
      expect(va?.runP50Ms).toBeGreaterThan(950);
      expect(va?.runP50Ms).toBeLessThan(1_050);
      expect(vb?.runP95Ms).toBeGreaterThan(2_850);
      expect(vb?.scores.find((s) => s.name === 'helpfulness')).toMatchObject({ count: 2, average: 0.625 });
      expect(vb?.scores.find((s) => s.name === 'thumbs')).toMatchObject({ count: 1, average: 0 });
      const overview = await store.getMetrics(project, { from: T0, to: T0 + 3 * HOUR, bucket: 'day' });
      expect(overview.agentVersions.map((v) => [v.agentVersion, v.runs, v.conversations])).toEqual([
        [b.agentVersion, 2, null],
        [a.agentVersion, 1, null],
      ]);
    });

    it('filters the list by score name, source, range, value and agent version', async () => {
      const { store } = target();
      const ids = async (filter: Record<string, unknown>) =>
        (await store.listConversations(project, { limit: 50, ...filter })).data.map((row) => row.id).sort();
      expect(await ids({ scoreName: 'helpfulness' })).toEqual(['s-a', 's-b', 's-c']);
      expect(await ids({ scoreName: 'helpfulness', scoreMin: 0.5 })).toEqual(['s-a', 's-c']);
      expect(await ids({ scoreName: 'helpfulness', scoreMax: 0.5, scoreMin: 0.3 })).toEqual(['s-a']);
      expect(await ids({ scoreName: 'thumbs', scoreValue: 'false' })).toEqual(['s-a', 's-b']);
      expect(await ids({ scoreName: 'thumbs', scoreValue: 'true' })).toEqual([]);
      expect(await ids({ scoreName: 'topic', scoreValue: 'billing' })).toEqual(['s-b', 's-c']);
      expect(await ids({ scoreName: 'helpfulness', scoreValue: '1' })).toEqual(['s-c']);
      expect(await ids({ scoreName: 'helpfulness', scoreSource: 'human' })).toEqual([]);
      expect(await ids({ agentVersion: b.agentVersion })).toEqual(['s-b', 's-c']);
      expect(await ids({ agentVersion: b.agentVersion, scoreName: 'thumbs' })).toEqual(['s-b']);
      expect(
        (await store.listConversations(project, { limit: 5, agentVersion: a.agentVersion })).data[0]
          ?.agentVersion,
      ).toBe(a.agentVersion);
    });

    it('does not count a score as activity, and creates the conversation a score names first', async () => {
      const { store } = target();
      const before = await store.getConversation(project, 's-c');
      await store.append(
        project,
        parseEvents([scoreEvent({ conversationId: 's-c' }, { name: 'late', value: 3, at: T0 + 40 * HOUR })]),
      );
      const after = await store.getConversation(project, 's-c');
      expect(after?.conversation.lastActivityAt).toBe(before?.conversation.lastActivityAt);
      const customers = await store.listCustomers(project, {
        limit: 10,
        from: T0 + 39 * HOUR,
        to: T0 + 41 * HOUR,
      });
      expect(customers.data).toEqual([]);
      await store.append(
        project,
        parseEvents([
          scoreEvent(
            { conversationId: 's-new', customerId: 'sc-3' },
            { name: 'late', value: 2, at: T0 + 41 * HOUR },
          ),
        ]),
      );
      const created = await store.getConversation(project, 's-new');
      expect(created?.conversation).toMatchObject({
        customerId: 'sc-3',
        lastActivityAt: new Date(T0 + 41 * HOUR).toISOString(),
      });
      expect(created?.scores.map((s) => [s.name, s.value, s.source])).toEqual([['late', 2, 'code']]);
    });

    it('keeps platform and automatic feedback apart from customer feedback', async () => {
      const { store } = target();
      const ctx = { conversationId: 's-fb', customerId: 'sc-4' };
      const at = T0 + 50 * HOUR;
      await store.append(
        project,
        parseEvents([
          messageEvent(ctx, { role: 'human', content: 'hi', at }),
          feedbackEvent(ctx, { sentiment: 'negative', at: at + 1, source: 'customer' }),
          feedbackEvent(ctx, { sentiment: 'positive', at: at + 2, source: 'platform' }),
          feedbackEvent(ctx, { sentiment: 'positive', at: at + 3, source: 'platform' }),
          feedbackEvent(ctx, { sentiment: 'neutral', at: at + 4, source: 'auto' }),
        ]),
      );
      const detail = await store.getConversation(project, 's-fb');
      expect(detail?.conversation.feedback).toEqual({ positive: 0, neutral: 0, negative: 1 });
      expect(detail?.feedback.map((f) => f.source)).toEqual(['customer', 'platform', 'platform', 'auto']);
      const metrics = await store.getMetrics(project, { from: at - HOUR, to: at + HOUR, bucket: 'hour' });
      expect(metrics.totals.feedback).toEqual({ positive: 0, neutral: 0, negative: 1 });
      expect(metrics.totals.platformFeedback).toEqual({ positive: 2, neutral: 0, negative: 0 });
      expect(metrics.totals.autoFeedback).toEqual({ positive: 0, neutral: 1, negative: 0 });
      expect(metrics.series.find((p) => p.platformFeedback.positive > 0)?.t).toBe(
        new Date(at - (at % HOUR)).toISOString(),
      );
      const positive = await store.listConversations(project, { limit: 10, feedback: 'positive' });
      expect(positive.data.map((row) => row.id)).not.toContain('s-fb');
    });
  });
}
