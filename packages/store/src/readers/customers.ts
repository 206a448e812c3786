/** Customers with their usage and cost, all time or within a time range. */
import type { CustomerFilter, CustomerSummary, Page, ScoreSummary } from '@sightline/core';
import { sql } from 'kysely';
import { dayBucket } from '../buckets.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { ReadContext } from './conversations.ts';
import { readCustomerScores } from './score-metrics.ts';

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

interface UsageRow {
  customer_id: string;
  first_seen_at: number | string;
  last_seen_at: number | string;
  conversations: number | string;
  messages: number | string;
  tool_calls: number | string;
  errors: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
  cost_usd: number | string;
}

function toSummary(row: UsageRow, scores: ScoreSummary[]): CustomerSummary {
  return {
    customerId: row.customer_id,
    conversations: Number(row.conversations),
    messages: Number(row.messages),
    toolCalls: Number(row.tool_calls),
    errors: Number(row.errors),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: Number(row.cost_usd),
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
    scores,
  };
}

/** Customers, most recently seen first; with from/to, usage is summed over the days in that range. */
export async function listCustomers(
  ctx: ReadContext,
  projectId: string,
  filter: CustomerFilter,
): Promise<Page<CustomerSummary>> {
  const offset = filter.cursor === undefined ? 0 : Number(decodeCursor(filter.cursor, ['number'])[0]);
  const rows =
    filter.from === undefined && filter.to === undefined
      ? await allTime(ctx, projectId, filter, offset)
      : await inRange(ctx, projectId, filter, offset);
  const page = rows.slice(0, filter.limit);
  const scores = await readCustomerScores(
    ctx,
    projectId,
    page.map((row) => row.customer_id),
  );
  return {
    data: page.map((row) => toSummary(row, scores.get(row.customer_id) ?? [])),
    nextCursor: rows.length > filter.limit ? encodeCursor([offset + filter.limit]) : null,
  };
}

async function allTime(
  ctx: ReadContext,
  projectId: string,
  filter: CustomerFilter,
  offset: number,
): Promise<UsageRow[]> {
  let query = ctx.db.selectFrom('customers').selectAll().where('project_id', '=', projectId);
  if (filter.search) query = query.where('customer_id', 'like', `${escapeLike(filter.search)}%`);
  return query
    .orderBy('last_seen_at', 'desc')
    .orderBy('customer_id')
    .offset(offset)
    .limit(filter.limit + 1)
    .execute();
}

async function inRange(
  ctx: ReadContext,
  projectId: string,
  filter: CustomerFilter,
  offset: number,
): Promise<UsageRow[]> {
  let query = ctx.db
    .selectFrom('customer_daily')
    .select((eb) => [
      'customer_id',
      eb.fn.min<number>('day').as('first_seen_at'),
      eb.fn.max<number>('day').as('last_seen_at'),
      eb.fn.sum<number>('conversations').as('conversations'),
      eb.fn.sum<number>('messages').as('messages'),
      eb.fn.sum<number>('tool_calls').as('tool_calls'),
      eb.fn.sum<number>('errors').as('errors'),
      eb.fn.sum<number>('input_tokens').as('input_tokens'),
      eb.fn.sum<number>('output_tokens').as('output_tokens'),
      eb.fn.sum<number>('cost_usd').as('cost_usd'),
    ])
    .where('project_id', '=', projectId);
  if (filter.from !== undefined) query = query.where('day', '>=', dayBucket(filter.from));
  if (filter.to !== undefined) query = query.where('day', '<=', filter.to);
  if (filter.search) query = query.where('customer_id', 'like', `${escapeLike(filter.search)}%`);
  return query
    .groupBy('customer_id')
    .orderBy(sql`max(day)`, 'desc')
    .orderBy('customer_id')
    .offset(offset)
    .limit(filter.limit + 1)
    .execute();
}

function escapeLike(text: string): string {
  return text.replace(/[%_]/g, '');
}
