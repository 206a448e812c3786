/** The state of redacting one event: counts per rule, time spent in the project's own patterns, its budget. */

export interface RedactionRun {
  /** Replacements per rule (detector or pattern name). */
  counts: Record<string, number>;
  /** Milliseconds spent in the project's own patterns so far. */
  userMs: number;
  /** Most milliseconds the project's own patterns may take on one event. */
  budgetMs: number;
}

/** A rule that failed on an event (threw, or ran over its budget): the event is not stored. */
export class RedactionRuleError extends Error {
  readonly rule: string;
  constructor(rule: string, reason: string) {
    super(`redaction rule "${rule}" ${reason}`);
    this.name = 'RedactionRuleError';
    this.rule = rule;
  }
}

/** A fresh run with the given budget. */
export function newRun(budgetMs: number): RedactionRun {
  return { counts: {}, userMs: 0, budgetMs };
}
