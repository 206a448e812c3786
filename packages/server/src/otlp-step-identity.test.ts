/**
 * Step identity under OTLP: span ids are unique only within a trace. Two traces reusing the same
 * span ids, in one conversation (a shared session.id) or in two, each keep their own steps, tokens
 * and outputs, on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attr, jsonExport, jsonSpan, nanos, postExport } from './otlp/test-payloads.ts';
import { createFixture, type Fixture } from './test-fixture.ts';

interface Step {
  id: string;
  parentId: string | null;
  type: string;
  output: unknown;
  usage: { inputTokens: number; outputTokens: number } | null;
}

/** One trace: an agent span (id 1) and its chat span (id 2), answering `answer` with `tokens` tokens. */
function trace(traceId: string, options: { session?: string; tokens: number; answer: string }) {
  const session = options.session ? [attr('session.id', options.session)] : [];
  const common = { traceId, startTimeUnixNano: nanos(), endTimeUnixNano: nanos(500) };
  return jsonExport([
    jsonSpan(1, { ...common, attributes: [...session, attr('gen_ai.operation.name', 'invoke_agent')] }),
    jsonSpan(2, {
      ...common,
      parentSpanId: '0000000000000001',
      attributes: [
        ...session,
        attr('gen_ai.operation.name', 'chat'),
        attr('gen_ai.request.model', 'gpt-4o-mini'),
        attr('gen_ai.usage.input_tokens', options.tokens),
        attr('gen_ai.usage.output_tokens', options.tokens * 2),
        attr(
          'gen_ai.output.messages',
          JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: options.answer }] }]),
        ),
      ],
    }),
  ]);
}

const TRACE_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TRACE_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe.each(['sqlite', 'postgres'] as const)('OTLP step identity on %s', (dialect) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ dialect });
  });
  afterAll(async () => {
    await f.close();
  });

  const llmOf = (steps: Step[], traceId: string) =>
    steps.find((step) => step.type === 'llm' && step.id.startsWith(traceId));

  it('keeps two traces of one session apart when they reuse span ids', async () => {
    expect(
      (await postExport(f, trace(TRACE_A, { session: 'shared', tokens: 10, answer: 'first' }))).status,
    ).toBe(200);
    expect(
      (await postExport(f, trace(TRACE_B, { session: 'shared', tokens: 700, answer: 'second' }))).status,
    ).toBe(200);
    const detail = await (await f.request('/v1/conversations/shared', { key: f.readKey })).json();
    const steps = detail.steps as Step[];
    expect(steps).toHaveLength(4);
    const a = llmOf(steps, TRACE_A);
    const b = llmOf(steps, TRACE_B);
    expect(a?.usage).toMatchObject({ inputTokens: 10, outputTokens: 20 });
    expect(b?.usage).toMatchObject({ inputTokens: 700, outputTokens: 1400 });
    expect(JSON.stringify(a?.output)).toContain('first');
    expect(JSON.stringify(b?.output)).toContain('second');
    expect(a?.parentId).toBe(`${TRACE_A}-0000000000000001`);
    expect(detail.conversation).toMatchObject({ llmCallCount: 2, inputTokens: 710, outputTokens: 1420 });
  });

  it('keeps two traces without a session in conversations of their own', async () => {
    const c = 'cccccccccccccccccccccccccccccccc';
    const d = 'dddddddddddddddddddddddddddddddd';
    await postExport(f, trace(c, { tokens: 3, answer: 'c' }));
    await postExport(f, trace(d, { tokens: 5, answer: 'd' }));
    for (const [traceId, tokens] of [
      [c, 3],
      [d, 5],
    ] as const) {
      const detail = await (await f.request(`/v1/conversations/trace-${traceId}`, { key: f.readKey })).json();
      expect(detail.steps).toHaveLength(2);
      expect(llmOf(detail.steps, traceId)?.usage).toMatchObject({ inputTokens: tokens });
    }
  });
});
