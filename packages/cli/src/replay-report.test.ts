/** The replay report: per-item differences, score means before and after, and the --min-score verdicts. */
import { describe, expect, it } from 'vitest';
import { parseMinScores } from './replay-cli.ts';
import { type ItemResult, printReplay, type ReplaySide } from './replay-report.ts';

const side = (
  id: string,
  answer: string,
  scores: ReplaySide['scores'],
  toolCalls: string[] = [],
): ReplaySide => ({
  conversationId: id,
  agentVersion: id.startsWith('src') ? 'v1' : 'v2',
  answers: [answer],
  toolCalls,
  costUsd: 0.000123,
  durationMs: 40,
  scores,
});

const result = (n: number, answer: string, after: ReplaySide['scores']): ItemResult => ({
  item: {
    id: `item-${n}`,
    sourceConversationId: `src-${n}`,
    turns: [{ human: `ask ${n}`, expected: `answer ${n}` }],
  },
  replayed: side(`new-${n}`, answer, after),
  source: side(`src-${n}`, `answer ${n}`, { ok: 1 }, ['create_note']),
  stopped: null,
});

function report(results: ItemResult[], thresholds: string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = printReplay({
    results,
    minScores: parseMinScores(thresholds),
    experiment: 'exp',
    out: (line) => lines.push(line),
  });
  return { code, lines };
}

describe('printReplay', () => {
  it('passes when the mean reaches the threshold and shows only the answers that changed', () => {
    const { code, lines } = report(
      [result(1, 'answer 1', { ok: 1 }), result(2, 'other', { ok: 0 })],
      ['ok=0.5'],
    );
    expect(code).toBe(0);
    expect(lines).toContain('agent versions: v1 -> v2');
    expect(lines).toContain('- item-1 new-1 (from src-1): answers same');
    expect(lines).toContain('- item-2 new-2 (from src-2): answers differ');
    expect(lines).toContain('    new:      other');
    expect(lines).toContain('    tools: create_note -> none');
    expect(lines).toContain('    score ok: 1 -> 0');
    expect(lines).toContain('score ok: mean 0.5 (was 1) >= 0.5: pass');
  });

  it('fails under the threshold, and when no item has the score it names', () => {
    expect(report([result(1, 'x', { ok: 0 })], ['ok=0.5']).code).toBe(1);
    const missing = report([result(1, 'answer 1', { ok: 1 })], ['judge=0.5']);
    expect(missing.code).toBe(1);
    expect(missing.lines).toContain('score judge: mean none (was none) < 0.5: FAIL');
  });

  it('without thresholds only reports', () => {
    expect(report([result(1, 'x', { ok: 0 })], []).code).toBe(0);
  });
});

describe('parseMinScores', () => {
  it('takes name=x pairs and refuses others naming the option', () => {
    expect([...parseMinScores(['a=0.9', 'b=c=1'])]).toEqual([
      ['a', 0.9],
      ['b=c', 1],
    ]);
    for (const bad of ['a', '=1', 'a=', 'a=x'])
      expect(() => parseMinScores([bad])).toThrow(`--min-score must be <name>=<number>, got "${bad}"`);
  });
});
