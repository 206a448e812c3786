/**
 * What stored rows counted in the rollups when they were appended, so that it can be taken back out:
 * a merge takes out the conversation it removes and the copies it drops, and deleting a conversation
 * would take out the conversation and all of its rows. Counted as the append's planner counts
 * (batch-plan.ts): a conversation at its start, a message at its time, a finished step at its start,
 * feedback by sentiment, each in its conversation's environment and for its customer. Applied (added
 * or taken out) by rollup-changes.ts.
 *
 * Which customers were active in which hour or day (distinct customer counts) can be added
 * (customer-activity.ts) but not taken back: another conversation may share the hour. Response
 * latency samples are neither (they depend on the order messages arrived in).
 */
import { dayBucket, hourBucket } from '../buckets.ts';
import { latencyBin } from '../histogram.ts';
import { type FeedbackSourceKey, isToolCall, ROLLUP_COUNTERS } from './batch-plan.ts';
import type { CountedFeedback, CountedMessage, CountedRows, CountedStep } from './counted-rows.ts';
import { Increments } from './increments.ts';
import { type ScoreCounts, type ScoreCustomerKey, type ScoreHourKey, scoreRollupKeys } from './score-keys.ts';
import {
  countVersionStep,
  VERSION_COUNTERS,
  type VersionCounter,
  type VersionKey,
} from './version-counts.ts';

/** Where a conversation's rows were counted: its environment and customer (if it counted one). */
export interface RollupOwner {
  environment: string;
  customerId: string | null;
}

type RollupCounter = (typeof ROLLUP_COUNTERS)[number];
/** The per-customer counters (customer_daily, customers). */
export const USAGE_COUNTERS = [
  'conversations',
  'messages',
  'tool_calls',
  'errors',
  'input_tokens',
  'output_tokens',
  'cost_usd',
] as const;
type UsageCounter = (typeof USAGE_COUNTERS)[number];
type EnvBucket = { environment: string; bucket: number };
type LatencyKey = EnvBucket & { metric: string; key: string; bin: number };

/** The rollup counts of some stored rows, summed per rollup row. */
export class RollupFootprint {
  readonly rollups = new Increments<EnvBucket, RollupCounter>(ROLLUP_COUNTERS);
  readonly tools = new Increments<EnvBucket & { name: string }, 'calls' | 'errors'>(['calls', 'errors']);
  readonly models = new Increments<
    EnvBucket & { model: string; provider: string },
    'calls' | 'input_tokens' | 'output_tokens' | 'cost_usd'
  >(['calls', 'input_tokens', 'output_tokens', 'cost_usd']);
  readonly latency = new Increments<LatencyKey, 'count'>(['count']);
  readonly latencyDaily = new Increments<LatencyKey, 'count'>(['count']);
  readonly customerDaily = new Increments<{ day: number; customer_id: string }, UsageCounter>(USAGE_COUNTERS);
  readonly customers = new Increments<{ customer_id: string }, UsageCounter>(USAGE_COUNTERS);
  readonly versions = new Increments<VersionKey, VersionCounter>(VERSION_COUNTERS);
  readonly feedbackBySource = new Increments<FeedbackSourceKey, 'count'>(['count']);
  readonly scores = new Increments<ScoreHourKey, keyof ScoreCounts>(['count', 'value_sum']);
  readonly scoreCustomers = new Increments<ScoreCustomerKey, keyof ScoreCounts>(['count', 'value_sum']);
  /** Customers newly active per hour / day (rollup_hourly.customers, daily_customers). */
  readonly hourlyCustomers = new Increments<EnvBucket, 'customers'>(['customers']);
  readonly dailyCustomers = new Increments<EnvBucket, 'customers'>(['customers']);
  /** The times customers were seen at, to widen their first / last seen (never narrowed). */
  readonly seen = new Map<string, { first: number; last: number }>();
  /** Sums of the rollup counters over every row: what the conversation's own counters hold of these rows. */
  readonly totals: Record<RollupCounter, number> = Object.fromEntries(
    ROLLUP_COUNTERS.map((counter) => [counter, 0]),
  ) as Record<RollupCounter, number>;

  /** The conversation itself, counted in the hour it started. */
  conversation(owner: RollupOwner, startedAt: number): void {
    this.#add(owner, startedAt, { conversations: 1 }, { conversations: 1 });
  }

  /** A customer seen at `at` (widens its first / last seen). */
  saw(customerId: string, at: number): void {
    const seen = this.seen.get(customerId);
    if (seen) {
      seen.first = Math.min(seen.first, at);
      seen.last = Math.max(seen.last, at);
    } else {
      this.seen.set(customerId, { first: at, last: at });
    }
  }

  /** Every row of a conversation (but the conversation itself). */
  rows(owner: RollupOwner, rows: CountedRows): void {
    for (const message of rows.messages) this.message(owner, message);
    for (const step of rows.steps) this.step(owner, step);
    for (const feedback of rows.feedback) this.feedback(owner, feedback);
  }

  /** A message, counted at its time. */
  message(owner: RollupOwner, row: CountedMessage): void {
    const at = Number(row.timestamp);
    const role = {
      human_messages: row.role === 'human' ? 1 : 0,
      agent_messages: row.role === 'agent' ? 1 : 0,
    };
    this.#add(owner, at, { messages: 1, ...role }, { messages: 1 });
  }

  /** Feedback, counted by sentiment (feedback without one counted nothing); the customer's apart. */
  feedback(owner: RollupOwner, row: CountedFeedback): void {
    if (!row.sentiment) return;
    const at = Number(row.timestamp);
    if (row.source === 'customer') this.#add(owner, at, { [`fb_${row.sentiment}`]: 1 }, {});
    else {
      const key = { environment: owner.environment, bucket: hourBucket(at), source: row.source };
      this.feedbackBySource.add({ ...key, sentiment: row.sentiment }, { count: 1 });
    }
  }

  /** A stored score, as it was counted: in its own environment, for its own customer and version. */
  score(row: Parameters<typeof scoreRollupKeys>[0]): void {
    const { hour, customer, counts } = scoreRollupKeys(row);
    this.scores.add(hour, counts);
    if (customer) this.scoreCustomers.add(customer, counts);
  }

  /** A step: counted once it finished (an open step counted nothing). */
  step(owner: RollupOwner, row: CountedStep): void {
    if (Number(row.finished) !== 1) return;
    const at = Number(row.started_at);
    const bucket = { environment: owner.environment, bucket: hourBucket(at) };
    const failed = row.error !== null ? 1 : 0;
    this.#add(owner, at, { errors: failed }, { errors: failed });
    if (isToolCall(row)) {
      this.#add(owner, at, { tool_calls: 1, tool_errors: failed }, { tool_calls: 1 });
      this.tools.add({ ...bucket, name: row.name }, { calls: 1, errors: failed });
      if (row.duration_ms !== null) this.#latency(owner, at, { key: row.name, ms: Number(row.duration_ms) });
    }
    countVersionStep(this, { environment: owner.environment, step: row, toolCall: isToolCall(row) });
    if (row.model === null) return;
    const usage = {
      input_tokens: Number(row.input_tokens ?? 0),
      output_tokens: Number(row.output_tokens ?? 0),
      cost_usd: Number(row.cost_usd ?? 0),
    };
    this.#add(owner, at, { llm_calls: 1, ...usage }, usage);
    this.models.add({ ...bucket, model: row.model, provider: row.provider ?? '' }, { calls: 1, ...usage });
  }

  #add(
    owner: RollupOwner,
    at: number,
    counts: Partial<Record<RollupCounter, number>>,
    usage: Partial<Record<UsageCounter, number>>,
  ): void {
    this.rollups.add({ environment: owner.environment, bucket: hourBucket(at) }, counts);
    for (const counter in counts)
      this.totals[counter as RollupCounter] += counts[counter as RollupCounter] ?? 0;
    if (owner.customerId === null || Object.keys(usage).length === 0) return;
    this.customerDaily.add({ day: dayBucket(at), customer_id: owner.customerId }, usage);
    this.customers.add({ customer_id: owner.customerId }, usage);
  }

  #latency(owner: RollupOwner, at: number, sample: { key: string; ms: number }): void {
    const key = {
      environment: owner.environment,
      metric: 'tool',
      key: sample.key,
      bin: latencyBin(sample.ms),
    };
    this.latency.add({ ...key, bucket: hourBucket(at) }, { count: 1 });
    this.latencyDaily.add({ ...key, bucket: dayBucket(at) }, { count: 1 });
  }
}
