/**
 * Plans the writes of one ingest batch: merges new events into the current state of their
 * conversations and steps, and sums what they add to the rollups. Pure: no I/O.
 */
import { feedbackSourceOf, type ParsedEvent } from '@sightline/core';
import { dayBucket, hourBucket } from '../buckets.ts';
import { latencyBin } from '../histogram.ts';
import type { PriceTable } from '../pricing.ts';
import type { ConversationsTable, StepsTable } from '../schema.ts';
import { type ConversationState, conversationRow } from './conversation-row.ts';
import { Increments } from './increments.ts';
import { scopedKey } from './rows.ts';
import { isToolCall } from './step-kinds.ts';
import { mergeStep } from './step-merge.ts';
import {
  countVersionStep,
  VERSION_COUNTERS,
  type VersionCounter,
  type VersionKey,
} from './version-counts.ts';

export type { ConversationState } from './conversation-row.ts';

export interface PlanInput {
  projectId: string;
  /** Newly accepted events, in timestamp order. */
  events: ParsedEvent[];
  conversations: Map<string, ConversationState>;
  /** Stored steps by `scopedKey(conversation, step id)`. */
  steps: Map<string, StepsTable>;
  /** `scopedKey(conversation, id)` of the messages and feedback this batch inserted. */
  insertedMessageIds: Set<string>;
  insertedFeedbackIds: Set<string>;
  prices: PriceTable;
}

export { isToolCall, RUN_OUTCOME_ACTIONS, TOOL_STEP_TYPES } from './step-kinds.ts';

/** The counters of an hourly rollup row, besides distinct customers. */
export const ROLLUP_COUNTERS = [
  'conversations',
  'messages',
  'human_messages',
  'agent_messages',
  'tool_calls',
  'tool_errors',
  'llm_calls',
  'errors',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'fb_positive',
  'fb_neutral',
  'fb_negative',
] as const;
const USAGE_COUNTERS = [
  'conversations',
  'messages',
  'tool_calls',
  'errors',
  'input_tokens',
  'output_tokens',
  'cost_usd',
] as const;

type EnvBucket = { environment: string; bucket: number };
/** The key of a feedback_hourly row. */
export type FeedbackSourceKey = EnvBucket & { source: string; sentiment: string };
type UsageCounter = (typeof USAGE_COUNTERS)[number];

export interface CustomerTouch {
  customerId: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface BatchPlan {
  projectId: string;
  conversations: ConversationsTable[];
  steps: StepsTable[];
  rollups: Increments<EnvBucket, (typeof ROLLUP_COUNTERS)[number]>;
  tools: Increments<EnvBucket & { name: string }, 'calls' | 'errors'>;
  models: Increments<
    EnvBucket & { model: string; provider: string },
    'calls' | 'input_tokens' | 'output_tokens' | 'cost_usd'
  >;
  latency: Increments<EnvBucket & { metric: string; key: string; bin: number }, 'count'>;
  latencyDaily: Increments<EnvBucket & { metric: string; key: string; bin: number }, 'count'>;
  customerDaily: Increments<{ day: number; customer_id: string }, UsageCounter>;
  customers: Map<string, CustomerTouch & Record<UsageCounter, number>>;
  /** What stamped agent versions' finished steps did (version_hourly). */
  versions: Increments<VersionKey, VersionCounter>;
  /** Feedback that is not the customer's, by source and sentiment (feedback_hourly). */
  feedbackBySource: Increments<FeedbackSourceKey, 'count'>;
  /** (environment, granularity, bucket, customer) tuples this batch saw activity in. */
  activity: Array<{ environment: string; granularity: 'h' | 'd'; bucket: number; customer_id: string }>;
}

const PREVIEW_LENGTH = 200;

/** Builds the plan for one batch. */
export function planBatch(input: PlanInput): BatchPlan {
  const planner = new Planner(input);
  for (const event of input.events) planner.apply(event);
  return planner.finish();
}

class Planner {
  readonly #input: PlanInput;
  readonly #conversations = new Map<string, ConversationsTable & { isNew: boolean }>();
  readonly #steps = new Map<string, StepsTable>();
  readonly #activity = new Map<string, BatchPlan['activity'][number]>();
  readonly #lastTouch = new Map<string, number>();
  readonly plan: BatchPlan = {
    projectId: '',
    conversations: [],
    steps: [],
    rollups: new Increments(ROLLUP_COUNTERS),
    tools: new Increments(['calls', 'errors']),
    models: new Increments(['calls', 'input_tokens', 'output_tokens', 'cost_usd']),
    latency: new Increments(['count']),
    latencyDaily: new Increments(['count']),
    customerDaily: new Increments(USAGE_COUNTERS),
    customers: new Map(),
    activity: [],
    versions: new Increments(VERSION_COUNTERS),
    feedbackBySource: new Increments(['count']),
  };

  constructor(input: PlanInput) {
    this.#input = input;
    this.plan.projectId = input.projectId;
  }

  apply(event: ParsedEvent): void {
    const conversation = this.#conversation(event);
    if (event.body.customerId) conversation.customer_id = event.body.customerId;
    // A score is a judgement of what happened, not activity: it neither moves the conversation in time
    // nor makes its customer active (its conversation, when it creates one, counts as usual).
    if (event.type === 'score') return;
    conversation.last_activity_at = Math.max(conversation.last_activity_at, event.timestamp);
    conversation.started_at = Math.min(conversation.started_at, event.timestamp);
    this.#touchCustomer(conversation, event.timestamp, {});
    const version = event.body.agentVersion;
    if (version !== undefined && event.timestamp >= (conversation.agent_version_at ?? -Infinity)) {
      conversation.agent_version = version;
      conversation.agent_version_at = event.timestamp;
    }
    switch (event.type) {
      case 'conversation':
        this.#applyConversation(conversation, event);
        return;
      case 'message':
        this.#applyMessage(conversation, event);
        return;
      case 'step':
        this.#applyStep(conversation, event);
        return;
      case 'feedback':
        this.#applyFeedback(conversation, event);
        return;
    }
  }

  finish(): BatchPlan {
    this.plan.conversations = [...this.#conversations.values()]
      .map(({ isNew: _, ...row }) => row)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    // In key order (conversation, then id), like every other upsert.
    this.plan.steps = [...this.#steps.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, step]) => step);
    // In key order, like every other upsert, so writers sharing a customer lock rows alike.
    this.plan.activity = [...this.#activity.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => row);
    return this.plan;
  }

  #conversation(event: ParsedEvent): ConversationsTable & { isNew: boolean } {
    const id = event.body.conversationId;
    const known = this.#conversations.get(id);
    if (known) return known;
    const stored = this.#input.conversations.get(id);
    const row = conversationRow({ projectId: this.#input.projectId, event, stored });
    this.#conversations.set(id, row);
    if (row.isNew) this.#rollup(row, event.timestamp, { conversations: 1 }, { conversations: 1 });
    return row;
  }

  #applyConversation(row: ConversationsTable, event: Extract<ParsedEvent, { type: 'conversation' }>): void {
    const body = event.body;
    if (body.name !== undefined) row.name = body.name;
    if (body.source !== undefined) row.source = body.source;
    if (body.device !== undefined) row.device = body.device;
    if (body.language !== undefined) row.language = body.language;
    if (body.metadata !== undefined)
      row.metadata = JSON.stringify({ ...JSON.parse(row.metadata), ...body.metadata });
    if (body.tags !== undefined) row.tags = JSON.stringify(body.tags);
    if (body.startedAt !== undefined) row.started_at = Math.min(row.started_at, Date.parse(body.startedAt));
    if (body.endedAt !== undefined) row.ended_at = Date.parse(body.endedAt);
  }

  #applyMessage(row: ConversationsTable, event: Extract<ParsedEvent, { type: 'message' }>): void {
    const key = scopedKey(event.body.conversationId, event.body.messageId ?? event.id);
    if (!this.#input.insertedMessageIds.has(key)) return;
    const at = event.timestamp;
    const role = event.body.role;
    row.message_count += 1;
    this.#rollup(
      row,
      at,
      {
        messages: 1,
        human_messages: role === 'human' ? 1 : 0,
        agent_messages: role === 'agent' ? 1 : 0,
      },
      { messages: 1 },
    );
    if (role === 'human') {
      if (row.first_message_at === null || at < row.first_message_at) {
        row.first_message_at = at;
        row.first_message = event.body.content.slice(0, PREVIEW_LENGTH);
      }
      row.last_human_at = Math.max(row.last_human_at ?? at, at);
    } else if (role === 'agent') {
      const answered =
        row.last_agent_at !== null && row.last_human_at !== null && row.last_agent_at >= row.last_human_at;
      if (row.last_human_at !== null && !answered && at >= row.last_human_at) {
        this.#latency(row, at, { metric: 'response', key: '', ms: at - row.last_human_at });
      }
      row.last_agent_at = Math.max(row.last_agent_at ?? at, at);
    }
  }

  #applyStep(row: ConversationsTable, event: Extract<ParsedEvent, { type: 'step' }>): void {
    const body = event.body;
    const key = scopedKey(body.conversationId, body.stepId);
    const previous = this.#steps.get(key) ?? this.#input.steps.get(key);
    if (!previous) row.step_count += 1;
    const step = mergeStep(this.#input.projectId, previous, event);
    this.#steps.set(key, step);
    const finishedNow = step.ended_at !== null || step.duration_ms !== null || step.error !== null;
    if (step.finished === 1 || !finishedNow) return;
    step.finished = 1;
    if (step.duration_ms === null && step.ended_at !== null)
      step.duration_ms = Math.max(0, step.ended_at - step.started_at);
    this.#countFinishedStep(row, step);
  }

  #countFinishedStep(row: ConversationsTable, step: StepsTable): void {
    const at = step.started_at;
    const failed = step.error !== null ? 1 : 0;
    row.error_count += failed;
    this.#rollup(row, at, { errors: failed }, { errors: failed });
    if (isToolCall(step)) {
      row.tool_call_count += 1;
      this.#rollup(row, at, { tool_calls: 1, tool_errors: failed }, { tool_calls: 1 });
      this.plan.tools.add(
        { environment: row.environment, bucket: hourBucket(at), name: step.name },
        { calls: 1, errors: failed },
      );
      if (step.duration_ms !== null)
        this.#latency(row, at, { metric: 'tool', key: step.name, ms: step.duration_ms });
    }
    if (step.model !== null) this.#countUsage(row, step);
    countVersionStep(this.plan, { environment: row.environment, step, toolCall: isToolCall(step) });
  }

  #countUsage(row: ConversationsTable, step: StepsTable): void {
    const input = step.input_tokens ?? 0;
    const output = step.output_tokens ?? 0;
    if (step.cost_usd === null) {
      step.cost_usd = this.#input.prices.cost({
        model: step.model ?? '',
        provider: step.provider,
        inputTokens: input,
        outputTokens: output,
      });
    }
    const cost = step.cost_usd ?? 0;
    row.llm_call_count += 1;
    row.input_tokens += input;
    row.output_tokens += output;
    row.cost_usd += cost;
    const at = step.started_at;
    this.#rollup(
      row,
      at,
      { llm_calls: 1, input_tokens: input, output_tokens: output, cost_usd: cost },
      {
        input_tokens: input,
        output_tokens: output,
        cost_usd: cost,
      },
    );
    this.plan.models.add(
      {
        environment: row.environment,
        bucket: hourBucket(at),
        model: step.model ?? '',
        provider: step.provider ?? '',
      },
      { calls: 1, input_tokens: input, output_tokens: output, cost_usd: cost },
    );
  }

  #applyFeedback(row: ConversationsTable, event: Extract<ParsedEvent, { type: 'feedback' }>): void {
    const key = scopedKey(event.body.conversationId, event.body.feedbackId ?? event.id);
    if (!this.#input.insertedFeedbackIds.has(key)) return;
    const sentiment = event.body.sentiment;
    if (!sentiment) return;
    const source = feedbackSourceOf(event.body);
    if (source !== 'customer') {
      const key = { environment: row.environment, bucket: hourBucket(event.timestamp), source, sentiment };
      this.plan.feedbackBySource.add(key, { count: 1 });
      return;
    }
    const column = `fb_${sentiment}` as const;
    row[column] += 1;
    this.#rollup(row, event.timestamp, { [column]: 1 }, {});
  }

  #rollup(
    row: ConversationsTable,
    at: number,
    counts: Partial<Record<(typeof ROLLUP_COUNTERS)[number], number>>,
    customerCounts: Partial<Record<UsageCounter, number>>,
  ): void {
    this.plan.rollups.add({ environment: row.environment, bucket: hourBucket(at) }, counts);
    if (row.customer_id && Object.keys(customerCounts).length > 0)
      this.#touchCustomer(row, at, customerCounts);
  }

  #latency(row: ConversationsTable, at: number, sample: { metric: string; key: string; ms: number }): void {
    const key = {
      environment: row.environment,
      metric: sample.metric,
      key: sample.key,
      bin: latencyBin(sample.ms),
    };
    this.plan.latency.add({ ...key, bucket: hourBucket(at) }, { count: 1 });
    this.plan.latencyDaily.add({ ...key, bucket: dayBucket(at) }, { count: 1 });
  }

  #touchCustomer(row: ConversationsTable, at: number, counts: Partial<Record<UsageCounter, number>>): void {
    const customerId = row.customer_id;
    if (!customerId) return;
    const hour = hourBucket(at);
    const touchKey = `${row.environment}\u0000${customerId}`;
    let hasCounts = false;
    for (const _ in counts) {
      hasCounts = true;
      break;
    }
    // Activity and the day's row are recorded on the first touch in an hour; later touches in the
    // same hour (same day) only add their counts.
    if (this.#lastTouch.get(touchKey) !== hour) {
      this.#lastTouch.set(touchKey, hour);
      const day = dayBucket(at);
      for (const [granularity, bucket] of [
        ['h', hour],
        ['d', day],
      ] as const) {
        const activity = { environment: row.environment, granularity, bucket, customer_id: customerId };
        this.#activity.set(
          `${row.environment}\u0000${granularity}\u0000${bucket}\u0000${customerId}`,
          activity,
        );
      }
      this.plan.customerDaily.add({ day, customer_id: customerId }, counts);
    } else if (hasCounts) {
      this.plan.customerDaily.add({ day: dayBucket(at), customer_id: customerId }, counts);
    }
    let customer = this.plan.customers.get(customerId);
    if (!customer) {
      customer = {
        customerId,
        firstSeenAt: at,
        lastSeenAt: at,
        conversations: 0,
        messages: 0,
        tool_calls: 0,
        errors: 0,
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: 0,
      };
      this.plan.customers.set(customerId, customer);
    }
    customer.firstSeenAt = Math.min(customer.firstSeenAt, at);
    customer.lastSeenAt = Math.max(customer.lastSeenAt, at);
    if (hasCounts)
      for (const counter in counts) customer[counter as UsageCounter] += counts[counter as UsageCounter] ?? 0;
  }
}
