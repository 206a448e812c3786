/**
 * Redaction in the collector: every batch goes through `prepare` before the write queue takes it, so
 * what is stored, broadcast on the live feed and counted is the redacted text, whichever way it came
 * (`/v1/ingest`, OTLP, feedback, in-process trackers posting to /v1/ingest).
 *
 * Rules come from the project's settings, cached per project for `cacheMs` (default 5 s) and
 * compiled once per settings version. Saving settings on this node invalidates its cache at once;
 * other nodes sharing the database apply the change within `cacheMs`.
 *
 * Fail closed: an event on which a rule throws or runs over its budget is not stored (nor its raw
 * text recorded anywhere): it is refused with an issue naming the rule, and listed on the ingestion
 * page without a sample. When the settings cannot be read at all, the whole batch is refused (503).
 */
import type { FieldIssue, ParsedEvent } from '@sightline/core';
import type { Store } from '@sightline/store';
import { ServerError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { redactEvent } from './event-redaction.ts';
import { RedactionRules, rulesVersion } from './redaction-rules.ts';
import { newRun, RedactionRuleError } from './redaction-run.ts';

export interface RedactorOptions {
  store: Pick<Store, 'getProjectSettings' | 'addIngestCounts' | 'recordRejections'>;
  logger: Logger;
  /** How long a project's rules are used before its settings are read again (default 5,000 ms). */
  cacheMs?: number;
  /** Most milliseconds a project's own patterns may take on one event (default 100 ms). */
  budgetMs?: number;
}

/** A batch ready for the write queue: the events to store (redacted) and those refused, by id. */
export interface PreparedBatch {
  events: ParsedEvent[];
  rejected: Map<string, FieldIssue[]>;
}

interface CacheEntry {
  rules: RedactionRules;
  readAt: number;
}

/** The counter name of a rule's replacements on the ingestion page. */
export function redactionCounter(rule: string): string {
  return `redacted:${rule}`;
}

export class Redactor {
  readonly #store: RedactorOptions['store'];
  readonly #logger: Logger;
  readonly #cacheMs: number;
  readonly #budgetMs: number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #loading = new Map<string, Promise<RedactionRules>>();
  /** Bumped by `invalidate`: a read that began before it does not fill the cache. */
  #generation = 0;
  /** Replacements per redacted event, read when it is committed. */
  readonly #counts = new WeakMap<ParsedEvent, Record<string, number>>();

  constructor(options: RedactorOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#cacheMs = options.cacheMs ?? 5_000;
    this.#budgetMs = options.budgetMs ?? 100;
  }

  /** Forgets a project's cached rules (after its settings changed on this node). */
  invalidate(projectId: string): void {
    this.#generation += 1;
    this.#cache.delete(projectId);
    this.#loading.delete(projectId);
  }

  /** The project's rules, from the cache while fresh. */
  rulesFor(projectId: string): RedactionRules | Promise<RedactionRules> {
    const entry = this.#cache.get(projectId);
    if (entry && performance.now() - entry.readAt < this.#cacheMs) return entry.rules;
    let loading = this.#loading.get(projectId);
    if (!loading) {
      const started = this.#load(projectId, entry);
      loading = started.finally(() => {
        if (this.#loading.get(projectId) === loading) this.#loading.delete(projectId);
      });
      this.#loading.set(projectId, loading);
    }
    return loading;
  }

  async #load(projectId: string, previous: CacheEntry | undefined): Promise<RedactionRules> {
    const generation = this.#generation;
    let settings: Awaited<ReturnType<Store['getProjectSettings']>>;
    try {
      settings = await this.#store.getProjectSettings(projectId);
    } catch (error) {
      this.#logger.warn({ err: error, projectId }, 'could not read redaction settings');
      throw new ServerError('overloaded', "could not read the project's redaction settings; retry later");
    }
    const version = rulesVersion(settings.redaction);
    const rules =
      previous?.rules.version === version ? previous.rules : new RedactionRules(settings.redaction);
    if (generation === this.#generation) this.#cache.set(projectId, { rules, readAt: performance.now() });
    return rules;
  }

  /** Redacts a batch before it is queued; events whose rules failed are refused, never stored raw. */
  async prepare(projectId: string, events: ParsedEvent[]): Promise<PreparedBatch> {
    const pending = this.rulesFor(projectId);
    const rules = pending instanceof RedactionRules ? pending : await pending;
    const rejected = new Map<string, FieldIssue[]>();
    if (!rules.active) return { events, rejected };
    const kept: ParsedEvent[] = [];
    for (const event of events) {
      const run = newRun(this.#budgetMs);
      try {
        const redacted = redactEvent(event, rules, run);
        if (Object.keys(run.counts).length > 0) this.#counts.set(redacted, run.counts);
        kept.push(redacted);
      } catch (error) {
        const rule = error instanceof RedactionRuleError ? error.rule : 'unknown';
        const message = `${error instanceof RedactionRuleError ? error.message : `redaction failed: ${String(error)}`}; the event was not stored`;
        rejected.set(event.id, [{ path: `events.${event.index}.body`, message }]);
        this.#logger.warn({ projectId, eventId: event.id, rule }, 'redaction rule failed; event refused');
      }
    }
    if (rejected.size > 0) this.#recordRejections(projectId, events, rejected);
    return { events: kept, rejected };
  }

  /** Adds the replacements of committed events to the project's ingest counters (`redacted:<rule>`). */
  countCommitted(projectId: string, events: readonly ParsedEvent[]): void {
    const totals: Record<string, number> = {};
    let any = false;
    for (const event of events) {
      const counts = this.#counts.get(event);
      if (!counts) continue;
      for (const [rule, count] of Object.entries(counts)) {
        const name = redactionCounter(rule);
        totals[name] = (totals[name] ?? 0) + count;
        any = true;
      }
    }
    if (!any) return;
    this.#store
      .addIngestCounts(projectId, totals)
      .catch((error) => this.#logger.warn({ err: error }, 'could not count redactions'));
  }

  /**
   * A rejected event's excerpt as it may be kept for the ingestion page: redacted like stored text, or
   * null when a rule fails on it.
   */
  async redactSample(projectId: string, sample: string | null): Promise<string | null> {
    if (sample === null) return null;
    try {
      const rules = await this.rulesFor(projectId);
      return rules.active ? rules.redact(sample, newRun(this.#budgetMs)) : sample;
    } catch {
      return null; // rules unreadable or failing: keep no sample rather than a raw one
    }
  }

  #recordRejections(projectId: string, events: ParsedEvent[], rejected: Map<string, FieldIssue[]>): void {
    const records = events
      .filter((event) => rejected.has(event.id))
      .map((event) => ({
        index: event.index,
        id: event.id,
        issues: rejected.get(event.id) ?? [],
        sample: null,
      }));
    this.#store
      .recordRejections(projectId, records)
      .catch((error) => this.#logger.warn({ err: error }, 'could not record refused events'));
  }
}
