/** Reads of conversations: the filtered, paginated list and one conversation in full. */
import type { ConversationDetail, ConversationFilter, ConversationSummary, Page } from '@sightline/core';
import { type Kysely, sql } from 'kysely';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { DialectAdapter } from '../dialect.ts';
import { percentile } from '../histogram.ts';
import type { Database } from '../schema.ts';
import { isToolCall } from '../writer/batch-plan.ts';
import {
  toConversationSummary,
  toStoredFeedback,
  toStoredMessage,
  toStoredScore,
  toStoredStep,
} from './conversation-mapping.ts';
import { reviewCondition } from './review-filter.ts';
import { hasScoreFilter, planScoreFilter, scoreCondition } from './score-filters.ts';

export interface ReadContext {
  db: Kysely<Database>;
  adapter: DialectAdapter;
}

/**
 * The project's conversations matching a list filter (every filter but `limit` and `cursor`), unordered.
 * Asynchronous because a score filter is planned by counting first (score-filters.ts).
 */
export async function filteredConversations(
  ctx: ReadContext,
  projectId: string,
  filter: Omit<ConversationFilter, 'limit' | 'cursor'>,
) {
  let query = ctx.db.selectFrom('conversations').selectAll().where('project_id', '=', projectId);
  if (filter.from !== undefined) query = query.where('last_activity_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('started_at', '<=', filter.to);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  if (filter.source !== undefined) query = query.where('source', '=', filter.source);
  if (filter.environment !== undefined) query = query.where('environment', '=', filter.environment);
  if (filter.hasError !== undefined) query = query.where('error_count', filter.hasError ? '>' : '=', 0);
  if (filter.feedback !== undefined) query = query.where(`fb_${filter.feedback}`, '>', 0);
  if (filter.marked !== undefined) query = query.where('marked', '=', filter.marked ? 1 : 0);
  const needsReview = filter.needsReview;
  if (needsReview !== undefined) query = query.where((eb) => reviewCondition(eb, ctx.adapter, needsReview));
  if (filter.search !== undefined)
    query = query.where('id', 'in', ctx.adapter.searchConversationIds(projectId, filter.search));
  for (const { key, value } of filter.metadata ?? []) {
    query = query.where(ctx.adapter.metadataEquals(sql.ref('metadata'), key, value));
  }
  if (hasScoreFilter(filter)) {
    const plan = await planScoreFilter(ctx, projectId, filter);
    const dialect = ctx.adapter.name;
    query = query.where((eb) => scoreCondition(eb, { projectId, filter, plan, dialect }));
  }
  return query;
}

/** Conversations of a project, most recently active first, filtered and cursor-paginated. */
export async function listConversations(
  ctx: ReadContext,
  projectId: string,
  filter: ConversationFilter,
): Promise<Page<ConversationSummary>> {
  let query = await filteredConversations(ctx, projectId, filter);
  if (filter.cursor !== undefined) {
    const [at, id] = decodeCursor(filter.cursor, ['number', 'string']) as [number, string];
    query = query.where((eb) =>
      eb.or([eb('last_activity_at', '<', at), eb.and([eb('last_activity_at', '=', at), eb('id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('last_activity_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    data: page.map(toConversationSummary),
    nextCursor:
      rows.length > filter.limit && last ? encodeCursor([Number(last.last_activity_at), last.id]) : null,
  };
}

/** One conversation with its messages in order, every step, feedback and totals; null when unknown. */
export async function getConversation(
  ctx: ReadContext,
  projectId: string,
  id: string,
): Promise<ConversationDetail | null> {
  const row = await ctx.db
    .selectFrom('conversations')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const [messages, steps, feedback, scores] = await Promise.all([
    ctx.db
      .selectFrom('messages')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('conversation_id', '=', id)
      .orderBy('timestamp')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('steps')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('conversation_id', '=', id)
      .orderBy('started_at')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('feedback')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('conversation_id', '=', id)
      .orderBy('timestamp')
      .execute(),
    ctx.db
      .selectFrom('scores')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('conversation_id', '=', id)
      .orderBy('timestamp')
      .orderBy('id')
      .execute(),
  ]);
  const conversation = toConversationSummary(row);
  const latencies = responseLatencies(messages.map((m) => ({ role: m.role, at: Number(m.timestamp) })));
  return {
    conversation,
    messages: messages.map(toStoredMessage),
    steps: steps.map(toStoredStep),
    feedback: feedback.map(toStoredFeedback),
    scores: scores.map(toStoredScore),
    totals: {
      inputTokens: conversation.inputTokens,
      outputTokens: conversation.outputTokens,
      totalTokens: conversation.totalTokens,
      costUsd: conversation.costUsd,
      durationMs: conversation.durationMs,
      toolCalls: steps.filter(isToolCall).length,
      llmCalls: steps.filter((step) => step.model !== null).length,
      errors: steps.filter((step) => step.error !== null).length,
      responseLatencyP50Ms: percentile(latencies, 0.5),
      responseLatencyP95Ms: percentile(latencies, 0.95),
    },
  };
}

/** Time from the latest human message to the agent message answering it (as the rollups count it). */
export function responseLatencies(messages: Array<{ role: string; at: number }>): number[] {
  const out: number[] = [];
  let waitingSince: number | null = null;
  for (const message of messages) {
    if (message.role === 'human') waitingSince = message.at;
    if (message.role === 'agent' && waitingSince !== null) {
      out.push(message.at - waitingSince);
      waitingSince = null;
    }
  }
  return out;
}
