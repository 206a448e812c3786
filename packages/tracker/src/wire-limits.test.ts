import { LIMITS } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { cleanEnvironment, cleanId, cleanStepType, isoFromMillis, limitBody } from './wire-limits.ts';

describe('wire limits', () => {
  it('formats epoch milliseconds exactly as Date#toISOString does', () => {
    const samples = [
      0,
      1,
      999,
      86_399_999,
      86_400_000,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.now(),
      253_402_300_799_999,
    ];
    for (let index = 0; index < 2000; index++) samples.push(Math.floor(Math.random() * 4_102_444_800_000));
    for (const ms of samples) expect(isoFromMillis(ms)).toBe(new Date(ms).toISOString());
    expect(isoFromMillis(-1)).toBe(new Date(-1).toISOString());
    expect(isoFromMillis(1.5)).toBe(new Date(1.5).toISOString());
  });

  it('cleans ids, environments and step types into what the server accepts', () => {
    expect(cleanId('ok-id')).toBe('ok-id');
    expect(cleanId('a\u0000b')).toBe('ab');
    expect(cleanId('x'.repeat(300))?.length).toBe(256);
    expect(cleanId('')).toBeUndefined();
    expect(cleanEnvironment('prod eu/1')).toBe('prod-eu-1');
    expect(cleanEnvironment(undefined)).toBe('production');
    expect(cleanStepType('Tool Call')).toBe('tool_call');
    expect(cleanStepType('9lives')).toBe('s9lives');
  });

  it('cuts token counts and costs to the collector limits instead of having the step refused', () => {
    const report = { truncated: false, payload: 0 };
    const body = limitBody(
      'step',
      { conversationId: 'c' },
      {
        stepId: 's',
        type: 'llm',
        name: 'chat',
        usage: { model: 'm', inputTokens: 1e12, outputTokens: 5, costUsd: Number.MAX_VALUE },
      },
      report,
    );
    expect(body.usage).toMatchObject({
      inputTokens: LIMITS.maxTokens,
      outputTokens: 5,
      costUsd: LIMITS.maxCostUsd,
    });
    expect(report.truncated).toBe(true);
  });
});
