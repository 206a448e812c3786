/**
 * The score half of an append, after the rest of the batch is written (so that every writer locks the
 * score tables last, as rollup-changes.ts does): each score is stored under (conversation, score id),
 * and a score already stored under that id is replaced when the new write is later (event time, then
 * event id: the same outcome whatever order writes arrive in). What the replaced score counted in the
 * score rollups is taken out and the new one's added. A score takes its conversation's environment and
 * customer, and as agent version its own, else its message's or step's, else the conversation's latest.
 */
import type { ParsedEvent } from '@sightline/core';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { ConversationsTable, Database, ScoresTable } from '../schema.ts';
import { bulkInsert } from './bulk-insert.ts';
import { applyRollupChanges } from './rollup-changes.ts';
import { RollupFootprint } from './rollup-footprint.ts';
import { scopedKey } from './rows.ts';

type ScoreEvent = Extract<ParsedEvent, { type: 'score' }>;
type Ctx = { db: Kysely<Database>; adapter: DialectAdapter };

/** Whether score `a` replaces score `b` (later event time, then greater event id). */
export function isLaterScore(
  a: Pick<ScoresTable, 'timestamp' | 'event_id'>,
  b: Pick<ScoresTable, 'timestamp' | 'event_id'>,
): boolean {
  const at = Number(a.timestamp);
  const bt = Number(b.timestamp);
  return at > bt || (at === bt && a.event_id > b.event_id);
}

/** The row of a score event (its agent version not yet inferred). */
function scoreRow(projectId: string, event: ScoreEvent, conversation: ConversationsTable): ScoresTable {
  const body = event.body;
  const value = body.value;
  return {
    project_id: projectId,
    conversation_id: body.conversationId,
    id: body.scoreId ?? event.id,
    message_id: body.messageId ?? null,
    step_id: body.stepId ?? null,
    name: body.name,
    data_type: typeof value === 'number' ? 'numeric' : typeof value === 'boolean' ? 'boolean' : 'categorical',
    source: body.source,
    value_num: typeof value === 'number' ? value : typeof value === 'boolean' ? (value ? 1 : 0) : null,
    value_text: typeof value === 'string' ? value : null,
    comment: body.comment ?? null,
    metadata: JSON.stringify(body.metadata ?? {}),
    judge_run_id: body.judgeRunId ?? null,
    agent_version: body.agentVersion ?? null,
    customer_id: conversation.customer_id,
    environment: conversation.environment,
    timestamp: event.timestamp,
    event_id: event.id,
  };
}

/** Stores a batch's score events and updates the score rollups (see the file comment). */
export async function writeScores(
  ctx: Ctx,
  options: { projectId: string; events: ParsedEvent[]; conversations: ConversationsTable[] },
): Promise<void> {
  const { projectId } = options;
  const byConversation = new Map(options.conversations.map((row) => [row.id, row]));
  const latest = new Map<string, ScoresTable>();
  for (const event of options.events) {
    if (event.type !== 'score') continue;
    const conversation = byConversation.get(event.body.conversationId);
    if (!conversation) continue;
    const row = scoreRow(projectId, event, conversation);
    const key = scopedKey(row.conversation_id, row.id);
    const known = latest.get(key);
    if (!known || isLaterScore(row, known)) latest.set(key, row);
  }
  if (latest.size === 0) return;
  const stored = await storedScores(ctx, projectId, [...latest.values()]);
  const footprint = { added: new RollupFootprint(), removed: new RollupFootprint() };
  const written: ScoresTable[] = [];
  for (const [key, row] of [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const previous = stored.get(key);
    if (previous && !isLaterScore(row, previous)) continue;
    if (previous) footprint.removed.score(previous);
    written.push(row);
  }
  await inferVersions(ctx, { projectId, rows: written, conversations: byConversation });
  for (const row of written) footprint.added.score(row);
  await upsertScores(ctx, written);
  await applyRollupChanges(ctx, projectId, [
    { footprint: footprint.removed, sign: -1 },
    { footprint: footprint.added, sign: 1 },
  ]);
}

/** The stored scores under the keys of `rows`, by scoped key (one query). */
async function storedScores(
  ctx: Ctx,
  projectId: string,
  rows: ScoresTable[],
): Promise<Map<string, ScoresTable>> {
  const keys = JSON.stringify(rows.map((row) => [row.conversation_id, row.id]));
  const text =
    ctx.adapter.name === 'sqlite'
      ? `select s.* from json_each(?) k cross join scores s
          on s.project_id = ? and s.conversation_id = k.value ->> 0 and s.id = k.value ->> 1`
      : `select s.* from json_array_elements($1::json) as k(key), lateral (
          select * from scores where project_id = $2 and conversation_id = k.key->>0 and id = k.key->>1
        ) s`;
  const result = await ctx.db.executeQuery<ScoresTable>(CompiledQuery.raw(text, [keys, projectId]));
  return new Map(result.rows.map((row) => [scopedKey(row.conversation_id, row.id), row]));
}

/**
 * Fills in the agent version of scores that name none: the scored message's or step's version, else
 * the conversation's latest.
 */
async function inferVersions(
  ctx: Ctx,
  options: { projectId: string; rows: ScoresTable[]; conversations: Map<string, ConversationsTable> },
): Promise<void> {
  const missing = options.rows.filter((row) => row.agent_version === null);
  if (missing.length === 0) return;
  const messageVersions = await versionsOf(ctx, {
    table: 'messages',
    projectId: options.projectId,
    keys: missing.flatMap((row) => (row.message_id ? [[row.conversation_id, row.message_id]] : [])),
  });
  const stepVersions = await versionsOf(ctx, {
    table: 'steps',
    projectId: options.projectId,
    keys: missing.flatMap((row) => (row.step_id ? [[row.conversation_id, row.step_id]] : [])),
  });
  for (const row of missing) {
    const own =
      (row.message_id && messageVersions.get(scopedKey(row.conversation_id, row.message_id))) ||
      (row.step_id && stepVersions.get(scopedKey(row.conversation_id, row.step_id))) ||
      null;
    row.agent_version = own ?? options.conversations.get(row.conversation_id)?.agent_version ?? null;
  }
}

/** The agent versions of some messages or steps, by scoped key (those without one are left out). */
async function versionsOf(
  ctx: Ctx,
  options: { table: 'messages' | 'steps'; projectId: string; keys: string[][] },
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (options.keys.length === 0) return out;
  const pairs = options.keys.map(([conversation, id]) => sql`(${conversation}, ${id})`);
  const rows = await sql<{ conversation_id: string; id: string; agent_version: string | null }>`
    select conversation_id, id, agent_version from ${sql.table(options.table)}
    where project_id = ${options.projectId} and (conversation_id, id) in (values ${sql.join(pairs)})`.execute(
    ctx.db,
  );
  for (const row of rows.rows)
    if (row.agent_version !== null) out.set(scopedKey(row.conversation_id, row.id), row.agent_version);
  return out;
}

/** Inserts the scores, replacing stored ones under the same key (every column but the key). */
export async function upsertScores(ctx: Ctx, rows: ScoresTable[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const key = ['project_id', 'conversation_id', 'id'];
  const update = Object.fromEntries(
    columns.filter((column) => !key.includes(column)).map((column) => [column, `excluded."${column}"`]),
  );
  await bulkInsert(ctx.db, ctx.adapter, {
    table: 'scores',
    columns,
    rows: rows as unknown as Array<Record<string, unknown>>,
    key,
    update,
  });
}
