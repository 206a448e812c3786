/**
 * Reads for exports: every conversation matching a list filter, with its messages, steps and feedback,
 * read in bounded pages so that memory stays flat however many conversations match. Conversations come
 * in id order (keyset pages), which no write changes: one that gains events while an export runs is
 * neither skipped nor repeated, as it would be in the list's most-recently-active order.
 */
import type {
  ConversationFilter,
  ConversationSummary,
  StoredFeedback,
  StoredMessage,
  StoredStep,
} from '@sightline/core';
import type { Database, FeedbackTable } from '../schema.ts';
import {
  toConversationSummary,
  toStoredFeedback,
  toStoredMessage,
  toStoredStep,
} from './conversation-mapping.ts';
import { filteredConversations, type ReadContext } from './conversations.ts';

/** The filters of the conversation list (`GET /v1/conversations`), without its paging. */
export type ExportFilter = Omit<ConversationFilter, 'limit' | 'cursor'>;

export interface ConversationExportOptions {
  /** Conversations read by one list query (default 100). */
  pageSize?: number;
  /**
   * Most rows of each kind (messages, steps, feedback) read by one query, and so held at once (default
   * 200): conversations are read together while their rows fit, a larger one in several parts. A larger
   * budget reads no faster and keeps more rows alive across young-generation collections, which promotes
   * them: on a fresh collector with V8's young generation capped (sightline start), pages of 200 and
   * budgets of 500 grew the old generation to ~100 MB early in a 1M-conversation export (peak RSS 266 MB);
   * 100 and 200 kept it at ~25 MB (148 MB), at the same 17,000 lines/s.
   */
  rowBudget?: number;
  /** Whether to read messages, steps and feedback at all (false: the list's columns only). */
  withRecords?: boolean;
  /** Stop after this many conversations. */
  limit?: number;
  /** Stops the reads (the iterator ends) once aborted. */
  signal?: AbortSignal;
}

/** Feedback as exported: what the API shows and the metadata it was given. */
export interface ExportedFeedback extends StoredFeedback {
  metadata: Record<string, unknown>;
}

/** A part of a conversation's records, each kind in time order. */
export interface ConversationRecords {
  messages: StoredMessage[];
  steps: StoredStep[];
  feedback: ExportedFeedback[];
}

export interface ExportedConversation {
  conversation: ConversationSummary;
  /**
   * Its messages, steps and feedback in parts of at most `rowBudget` rows of each kind; no row of a part
   * is later than a row of the next part. Read it before asking for the next conversation.
   */
  records: AsyncIterable<ConversationRecords>;
}

type Kind = 'messages' | 'steps' | 'feedback';
const KINDS: readonly Kind[] = ['messages', 'steps', 'feedback'];
const TIME_COLUMN = { messages: 'timestamp', steps: 'started_at', feedback: 'timestamp' } as const;
type Row = { id: string; conversation_id: string } & Record<string, unknown>;

/** Conversations matching `filter`, in id order, each with its records in bounded parts. */
export async function* exportConversations(
  ctx: ReadContext,
  projectId: string,
  filter: ExportFilter,
  options: ConversationExportOptions = {},
): AsyncGenerator<ExportedConversation, void, undefined> {
  const pageSize = Math.max(1, options.pageSize ?? 100);
  const budget = Math.max(1, options.rowBudget ?? 200);
  const withRecords = options.withRecords ?? true;
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  let after: string | null = null;
  const matching = await filteredConversations(ctx, projectId, filter);
  while (remaining > 0 && !options.signal?.aborted) {
    let query = matching;
    if (after !== null) query = query.where('id', '>', after);
    const rows = await query.orderBy('id').limit(Math.min(pageSize, remaining)).execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? null;
    remaining -= rows.length;
    yield* withRecords
      ? withTheirRecords(ctx, projectId, rows.map(toConversationSummary), budget, options.signal)
      : rows.map((row) => ({ conversation: toConversationSummary(row), records: once(noRecords()) }));
    if (rows.length < pageSize) return;
  }
}

/** A page of conversations, each with its records: read together while they fit the budget. */
async function* withTheirRecords(
  ctx: ReadContext,
  projectId: string,
  summaries: ConversationSummary[],
  budget: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<ExportedConversation, void, undefined> {
  for (const group of groupsWithin(summaries, budget)) {
    if (signal?.aborted) return;
    const loaded = await readTogether(ctx, projectId, group, budget);
    for (const conversation of group) {
      const records = loaded?.get(conversation.id);
      yield {
        conversation,
        records: records ? once(records) : readInParts(ctx, projectId, conversation.id, budget, signal),
      };
    }
  }
}

const noRecords = (): ConversationRecords => ({ messages: [], steps: [], feedback: [] });

/** What a conversation's counters say it holds: a guess of its rows (score-only feedback is not counted). */
function expectedRows(c: ConversationSummary): number {
  return c.messageCount + c.stepCount + c.feedback.positive + c.feedback.neutral + c.feedback.negative;
}

/** Consecutive conversations whose expected rows fit the budget together; a larger one alone. */
function groupsWithin(conversations: ConversationSummary[], budget: number): ConversationSummary[][] {
  const groups: ConversationSummary[][] = [];
  let current: ConversationSummary[] = [];
  let rows = 0;
  for (const conversation of conversations) {
    const expected = expectedRows(conversation);
    if (current.length > 0 && rows + expected > budget) {
      groups.push(current);
      current = [];
      rows = 0;
    }
    current.push(conversation);
    rows += expected;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * The records of several conversations in three queries, or null for all of them when a kind holds more
 * rows than the budget (counters can be short: then each is read in parts instead). A single conversation
 * over the budget is not read here at all.
 */
async function readTogether(
  ctx: ReadContext,
  projectId: string,
  group: ConversationSummary[],
  budget: number,
): Promise<Map<string, ConversationRecords> | null> {
  if (group.length === 1 && expectedRows(group[0] as ConversationSummary) > budget) return null;
  const ids = group.map((c) => c.id);
  const fetched = await Promise.all(
    KINDS.map(
      (kind) =>
        ctx.db
          .selectFrom(kind)
          .selectAll()
          .where('project_id', '=', projectId)
          .where('conversation_id', 'in', ids)
          .orderBy(TIME_COLUMN[kind])
          .orderBy('id')
          .limit(budget + 1)
          .execute() as Promise<Row[]>,
    ),
  );
  if (fetched.some((rows) => rows.length > budget)) return null;
  const out = new Map<string, ConversationRecords>();
  for (const id of ids) out.set(id, { messages: [], steps: [], feedback: [] });
  KINDS.forEach((kind, i) => {
    for (const row of fetched[i] as Row[]) {
      const records = out.get(row.conversation_id);
      if (records) pushRow(records, kind, row);
    }
  });
  return out;
}

/**
 * One conversation's records in parts of at most `budget` rows per kind, each kind read with a keyset
 * cursor on (time, id). A part ends before the earliest last time among kinds that filled the budget, so
 * no later part holds an earlier row (rows of one time may be cut between parts when a kind has more
 * than the budget at that time).
 */
async function* readInParts(
  ctx: ReadContext,
  projectId: string,
  conversationId: string,
  budget: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<ConversationRecords, void, undefined> {
  const cursors: Record<Kind, [number, string] | null> = { messages: null, steps: null, feedback: null };
  const finished: Record<Kind, boolean> = { messages: false, steps: false, feedback: false };
  while (!KINDS.every((kind) => finished[kind]) && !signal?.aborted) {
    const fetched = await Promise.all(
      KINDS.map((kind) =>
        finished[kind]
          ? Promise.resolve([])
          : readAfter(ctx, projectId, conversationId, kind, cursors[kind], budget),
      ),
    );
    const times = KINDS.map((kind, i) => (fetched[i] as Row[]).map((row) => Number(row[TIME_COLUMN[kind]])));
    let boundary = Number.POSITIVE_INFINITY;
    KINDS.forEach((_, i) => {
      const rows = fetched[i] as Row[];
      if (rows.length === budget)
        boundary = Math.min(boundary, (times[i] as number[])[rows.length - 1] as number);
    });
    let keep = KINDS.map((_, i) => countBefore(times[i] as number[], (t) => t < boundary));
    if (keep.every((n) => n === 0))
      keep = KINDS.map((_, i) => countBefore(times[i] as number[], (t) => t <= boundary));
    const part: ConversationRecords = { messages: [], steps: [], feedback: [] };
    KINDS.forEach((kind, i) => {
      const rows = fetched[i] as Row[];
      const kept = keep[i] as number;
      for (let r = 0; r < kept; r++) pushRow(part, kind, rows[r] as Row);
      const last = rows[kept - 1];
      if (last) cursors[kind] = [Number(last[TIME_COLUMN[kind]]), last.id];
      if (rows.length < budget && kept === rows.length) finished[kind] = true;
    });
    yield part;
  }
}

/** How many leading times pass the test (times are sorted). */
function countBefore(times: number[], test: (time: number) => boolean): number {
  let n = 0;
  while (n < times.length && test(times[n] as number)) n++;
  return n;
}

function readAfter(
  ctx: ReadContext,
  projectId: string,
  conversationId: string,
  kind: Kind,
  cursor: [number, string] | null,
  budget: number,
): Promise<Row[]> {
  const time = TIME_COLUMN[kind];
  let query = ctx.db
    .selectFrom(kind as keyof Database & Kind)
    .selectAll()
    .where('project_id', '=', projectId)
    .where('conversation_id', '=', conversationId);
  if (cursor) {
    const [at, id] = cursor;
    query = query.where((eb) => eb.or([eb(time, '>', at), eb.and([eb(time, '=', at), eb('id', '>', id)])]));
  }
  return query.orderBy(time).orderBy('id').limit(budget).execute() as Promise<Row[]>;
}

function pushRow(records: ConversationRecords, kind: Kind, row: Row): void {
  if (kind === 'messages') records.messages.push(toStoredMessage(row as never));
  else if (kind === 'steps') records.steps.push(toStoredStep(row as never));
  else records.feedback.push(toExportedFeedback(row as unknown as FeedbackTable));
}

function toExportedFeedback(row: FeedbackTable): ExportedFeedback {
  return { ...toStoredFeedback(row), metadata: JSON.parse(row.metadata) as Record<string, unknown> };
}

/** An async iterable of one value. */
async function* once<T>(value: T): AsyncGenerator<T, void, undefined> {
  yield value;
}
