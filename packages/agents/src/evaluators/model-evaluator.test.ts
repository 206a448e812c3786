/**
 * Model-judged evaluators: the demo judge's keyword verdicts (boolean, numeric in a range, categorical)
 * with the judge's run handed back; an AI SDK language model as judge (@ai-sdk/openai against a fake
 * chat completions endpoint: what it is sent, its verdict and tokens); answers that are not a valid
 * verdict throw JudgeVerdictError naming the problem.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { type Model, Usage } from '@openai/agents';
import type { ConversationDetail } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { DEMO_JUDGE_MODEL_NAME, demoJudgeModel } from './demo-judge.ts';
import { JudgeVerdictError } from './judge-prompt.ts';
import { modelEvaluator } from './model-evaluator.ts';

/** A stored conversation with these messages (what the judge reads), the rest empty. */
function conversationOf(messages: Array<[role: 'human' | 'agent', content: string]>): ConversationDetail {
  const at = new Date().toISOString();
  const zero = { inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0, durationMs: 0 };
  return {
    conversation: {
      id: 'c-1',
      customerId: null,
      name: null,
      marked: false,
      source: null,
      device: null,
      language: null,
      environment: 'production',
      metadata: {},
      tags: [],
      startedAt: at,
      lastActivityAt: at,
      endedAt: null,
      firstMessage: null,
      messageCount: messages.length,
      stepCount: 0,
      toolCallCount: 0,
      llmCallCount: 0,
      errorCount: 0,
      ...zero,
      feedback: { positive: 0, negative: 0, neutral: 0 },
      agentVersion: null,
    },
    messages: messages.map(([role, content], i) => ({
      id: `m-${i}`,
      conversationId: 'c-1',
      role,
      content,
      metadata: {},
      attachments: [],
      timestamp: at,
    })),
    steps: [],
    feedback: [],
    scores: [],
    totals: {
      ...zero,
      toolCalls: 0,
      llmCalls: 0,
      errors: 0,
      responseLatencyP50Ms: null,
      responseLatencyP95Ms: null,
    },
  } as ConversationDetail;
}

const refundChat = conversationOf([
  ['human', 'Where is my refund?'],
  ['agent', 'Your refund was sent today.'],
]);
const greetingChat = conversationOf([
  ['human', 'I want a refund'],
  ['agent', 'Hello! How can I help?'],
]);

describe('modelEvaluator with the demo judge', () => {
  const rubric = 'Pass if the agent mentions "refund" or "return".';

  it('gives a boolean verdict by the rubric keywords, with the judge run', async () => {
    const judge = modelEvaluator({ name: 'mentions-refund', model: demoJudgeModel(), rubric });
    expect(judge).toMatchObject({ name: 'mentions-refund', source: 'model', dataType: 'boolean' });
    const pass = await judge.evaluate(refundChat, {});
    expect(pass).toMatchObject({ value: true, comment: 'the agent said "refund"' });
    expect(pass?.judgeRun?.conversationId).toMatch(/^judge-/);
    expect(pass?.judgeRun).toMatchObject({
      model: DEMO_JUDGE_MODEL_NAME,
      answer: expect.stringContaining('"value":true'),
    });
    expect(pass?.judgeRun?.instructions).toContain(rubric);
    expect(pass?.judgeRun?.instructions).toContain('value: true or false');
    expect(pass?.judgeRun?.prompt).toBe('human: Where is my refund?\n\nagent: Your refund was sent today.');
    expect(pass?.judgeRun?.usage?.inputTokens).toBeGreaterThan(0);
    // The human's "refund" does not count: only what the agent said.
    expect((await judge.evaluate(greetingChat, {}))?.value).toBe(false);
  });

  it('gives a numeric verdict in the range and a categorical one among the choices', async () => {
    const numeric = modelEvaluator({
      name: 'n',
      model: demoJudgeModel(),
      rubric,
      dataType: 'numeric',
      range: [0, 10],
    });
    expect((await numeric.evaluate(refundChat, {}))?.value).toBe(5);
    const categorical = modelEvaluator({
      name: 'c',
      model: demoJudgeModel(),
      rubric,
      dataType: 'categorical',
      choices: ['resolved', 'unresolved'],
    });
    expect((await categorical.evaluate(refundChat, {}))?.value).toBe('resolved');
    expect((await categorical.evaluate(greetingChat, {}))?.value).toBe('unresolved');
    expect(() =>
      modelEvaluator({ name: 'c', model: demoJudgeModel(), rubric, dataType: 'categorical' }),
    ).toThrow(/needs `choices`/);
  });
});

/** An Agents SDK model that always answers `text`. */
function answering(text: string): Model {
  return {
    getResponse: async () => ({
      usage: new Usage(),
      output: [
        { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] },
      ],
    }),
    getStreamedResponse: () => {
      throw new Error('not streamed');
    },
  };
}

describe('judge answers', () => {
  it('reads a verdict in a code fence with text around it', async () => {
    const judge = modelEvaluator({
      name: 'j',
      model: answering('Sure:\n```json\n{"value": 0.8, "reason": "ok"}\n```'),
      rubric: 'r',
      dataType: 'numeric',
    });
    expect(await judge.evaluate(refundChat, {})).toMatchObject({ value: 0.8, comment: 'ok' });
  });

  it.each([
    ['I think it passes', /no JSON object/],
    ['{"value": tru}', /invalid JSON/],
    ['{"value": 3}', /verdict is invalid: value: /],
    ['{"reason": "no value"}', /verdict is invalid: value: /],
  ])('throws JudgeVerdictError for %s', async (text, message) => {
    const judge = modelEvaluator({ name: 'j', model: answering(text), rubric: 'r', dataType: 'numeric' });
    const error = await Promise.resolve(judge.evaluate(refundChat, {})).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JudgeVerdictError);
    expect(error).toMatchObject({ code: 'upstream_failed', message: expect.stringMatching(message) });
  });
});

describe('an AI SDK language model as judge', () => {
  it('is asked with the rubric as system prompt and its verdict and tokens come back', async () => {
    const sent: Array<{ model: string; messages: Array<{ role: string; content: unknown }> }> = [];
    const provider = createOpenAI({
      apiKey: 'test',
      baseURL: 'http://judge.test/v1',
      fetch: async (_url, init) => {
        sent.push(JSON.parse(String(init?.body)));
        const body = {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'gpt-judge',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: '{"value": true, "reason": "answered the question"}' },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 120, completion_tokens: 14, total_tokens: 134 },
        };
        return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
      },
    });
    const judge = modelEvaluator({
      name: 'answered',
      model: provider.chat('gpt-judge'),
      rubric: 'Did the agent answer?',
    });
    const verdict = await judge.evaluate(refundChat, {});
    expect(verdict).toMatchObject({ value: true, comment: 'answered the question' });
    expect(verdict?.judgeRun).toMatchObject({
      model: 'gpt-judge',
      provider: 'openai.chat',
      usage: { inputTokens: 120, outputTokens: 14 },
    });
    expect(sent[0]?.messages[0]).toMatchObject({
      role: 'system',
      content: expect.stringContaining('Did the agent answer?'),
    });
    expect(sent[0]?.messages[1]).toMatchObject({
      role: 'user',
      content: expect.stringContaining('agent: Your refund'),
    });
  });
});
