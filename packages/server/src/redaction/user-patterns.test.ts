import { describe, expect, it } from 'vitest';
import { patternProblem } from './pattern-check.ts';
import { probePatterns } from './pattern-probe.ts';
import { RedactionRules } from './redaction-rules.ts';
import { newRun, RedactionRuleError } from './redaction-run.ts';
import { applyUserPattern, compileUserPattern, OVERLAP, WINDOW } from './user-pattern.ts';

describe('pattern checks on save', () => {
  it('accepts ordinary patterns', () => {
    for (const source of [
      'ORD-\\d{6}',
      '\\bACME-[A-Z0-9]{8}\\b',
      '(?:foo|bar)-\\d+',
      'secret=\\S+',
      '(\\d{3}-)+\\d{4}',
    ])
      expect(patternProblem(source), source).toBeNull();
  });
  it('refuses what does not compile, matches empty text, repeats repeats or refers back', () => {
    expect(patternProblem('(unclosed')).toMatch(/not a valid regular expression/);
    expect(patternProblem('\\-x')).toMatch(/not a valid regular expression/); // u flag: strict syntax
    expect(patternProblem('a*')).toMatch(/matches empty text/);
    expect(patternProblem('(a+)+b')).toMatch(/repeats a group that itself repeats/);
    expect(patternProblem('(\\w*\\s?)*x')).toMatch(/repeats a group/);
    expect(patternProblem('(?:[a-z]+\\.){2,}')).toMatch(/repeats a group/);
    expect(patternProblem('(a)\\1')).toMatch(/backreference/);
    expect(patternProblem('[(]a+[)]+')).toBeNull(); // parentheses in a class are no group
  });
  it('probes patterns in a worker and refuses one that backtracks for long', async () => {
    const problems = await probePatterns(['ORD-\\d{6}', '(a|a)*b', '(?:x|xy)*z'], {
      flags: 'gu',
      limitMs: 50,
    });
    expect([...problems.keys()]).toEqual([1]);
    expect(problems.get(1)).toMatch(/takes too long/);
  }, 20_000);
});

describe('user patterns at work', () => {
  it('replaces matches with [REDACTED:<name>] or the pattern’s replacement, and counts them', () => {
    const run = newRun(100);
    const order = compileUserPattern({ name: 'order', pattern: 'ORD-\\d{6}' });
    expect(applyUserPattern(order, 'see ORD-123456 and ORD-654321', run)).toBe(
      'see [REDACTED:order] and [REDACTED:order]',
    );
    const named = compileUserPattern({ name: 'acct', pattern: 'acct \\d+', replacement: 'acct ***' });
    expect(applyUserPattern(named, 'acct 42', run)).toBe('acct ***');
    expect(run.counts).toEqual({ order: 2, acct: 1 });
  });
  it('finds matches across window boundaries in long texts', () => {
    const order = compileUserPattern({ name: 'order', pattern: 'ORD-\\d{6}' });
    for (const at of [0, WINDOW - 5, WINDOW + OVERLAP - 3, 3 * WINDOW - 2, 50_000]) {
      const text = `${'x'.repeat(at)}ORD-123456${'y'.repeat(60_000 - at)}`;
      expect(applyUserPattern(order, text, newRun(1000))).not.toContain('123456');
    }
    const digits = compileUserPattern({ name: 'digits', pattern: '\\d+' });
    expect(applyUserPattern(digits, `a${'7'.repeat(3 * WINDOW)}b`, newRun(1000))).toBe('a[REDACTED:digits]b');
  });
  it('fails the rule, naming it, when it runs over the event budget', () => {
    const slow = compileUserPattern({ name: 'slow', pattern: '.*x' }); // quadratic without an x
    const text = 'a'.repeat(100_000);
    expect(() => applyUserPattern(slow, text, newRun(1))).toThrow(RedactionRuleError);
    expect(() => applyUserPattern(slow, text, newRun(1))).toThrow(/"slow" took over its budget of 1 ms/);
  });
  it('runs after the built-in detectors', () => {
    const rules = new RedactionRules({
      detectors: ['email'],
      patterns: [{ name: 'ticket', pattern: 'T-\\d{4}' }],
    });
    const run = newRun(100);
    expect(rules.redact('T-1234 from a@b.co', run)).toBe('[REDACTED:ticket] from [REDACTED:email]');
    expect(run.counts).toEqual({ email: 1, ticket: 1 });
    expect(new RedactionRules({ detectors: [], patterns: [] }).active).toBe(false);
  });
});
