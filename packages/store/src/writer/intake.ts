/**
 * The first half of an append: record the batch's event ids (the new ones are accepted, the rest
 * are duplicates), insert the messages and feedback of accepted events, and read (locking them on
 * PostgreSQL) the conversations and steps the batch merges into. PostgreSQL does it all in one
 * statement, one round trip; SQLite, in process, statement by statement.
 */
import type { ParsedEvent } from '@sightline/core';
import { CompiledQuery, type Transaction } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { Database, StepsTable } from '../schema.ts';
import type { ConversationState } from './batch-plan.ts';
import { bulkInsert } from './bulk-insert.ts';
import { feedbackRow, messageRow, scopedKey } from './rows.ts';

type Trx = Transaction<Database>;

interface IntakeContext {
  adapter: DialectAdapter;
}

export interface Intake {
  /** Event ids stored by this call (the rest of the batch were duplicates). */
  accepted: Set<string>;
  /** The accepted events, in timestamp order. */
  fresh: ParsedEvent[];
  conversations: Map<string, ConversationState>;
  /** Stored steps the batch merges into, by `scopedKey(conversation, step id)`. */
  steps: Map<string, StepsTable>;
  /** `scopedKey(conversation, id)` of the messages and feedback inserted. */
  insertedMessageIds: Set<string>;
  insertedFeedbackIds: Set<string>;
}

/** Records a batch's events and reads the state it merges into (see the file comment). */
export async function takeIn(
  ctx: IntakeContext,
  trx: Trx,
  projectId: string,
  events: ParsedEvent[],
): Promise<Intake> {
  if (ctx.adapter.name === 'postgres') return takeInAtOnce(trx, projectId, events);
  const accepted = await insertEventIds(ctx, trx, projectId, events);
  const fresh = byTime(events.filter((event) => accepted.has(event.id)));
  return {
    accepted,
    fresh,
    conversations: await loadConversations(ctx, trx, projectId, fresh),
    steps: await loadSteps(trx, projectId, fresh),
    insertedMessageIds: await insertOnce(
      ctx,
      trx,
      'messages',
      fresh.flatMap((e) => (e.type === 'message' ? [messageRow(projectId, e)] : [])),
    ),
    insertedFeedbackIds: await insertOnce(
      ctx,
      trx,
      'feedback',
      fresh.flatMap((e) => (e.type === 'feedback' ? [feedbackRow(projectId, e)] : [])),
    ),
  };
}

function byTime(events: ParsedEvent[]): ParsedEvent[] {
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

const MESSAGE_COLUMNS =
  'project_id, id, conversation_id, role, content, metadata, attachments, "timestamp", agent_version';
const FEEDBACK_COLUMNS =
  'project_id, id, conversation_id, message_id, sentiment, score_name, score_value, comment, source, metadata, "timestamp"';

/** The row's columns, the project id bound once ($4) rather than repeated in every JSON row. */
function selectList(columns: string): string {
  return columns
    .split(', ')
    .map((column) => (column === 'project_id' ? '$4' : `r.${column}`))
    .join(', ');
}

/** A message or feedback row as JSON for the intake: no project id, the event id when it differs. */
function intakeRow(row: { project_id: string; id: string }, eventId: string): object {
  const { project_id: _, ...rest } = row;
  return rest.id === eventId ? rest : { ...rest, event_id: eventId };
}

/**
 * One statement, its parts chained (each waits on the previous one) so that locks are taken in
 * the order the SQLite path takes them: event ids, conversations, steps, messages, feedback.
 * Conversations and steps are looked up one key at a time (a locking subquery is never flattened
 * into a join), in the sorted order of the ids: on the primary key (a stale estimate had the
 * planner scan every step of the project, per batch). Not a prepared statement: a generic plan,
 * blind to the project id, ties the primary key with the other indexes that start with
 * project_id, and one made while the table was small probed conversations_started, 0.5 ms a key.
 * Messages and feedback of events that turn out to be duplicates are filtered out in the database
 * (a row names its event only when its own id differs).
 */
const INTAKE_SQL = `with ev as (
  insert into ingested_events (project_id, id, received_at)
  select $4, e.id, $7::bigint from json_array_elements_text($1::json) as e(id)
  on conflict (project_id, id) do nothing returning id
), conv as (
  select c.id, c.environment, c.customer_id, c.started_at, c.last_human_at, c.last_agent_at,
    c.agent_version, c.agent_version_at
  from json_array_elements_text($5::json) as k(id), lateral (
    select * from conversations where project_id = $4 and id = k.id for update
  ) c
  where (select count(*) from ev) >= 0
), st as (
  select s.* from json_array_elements($6::json) as k(key), lateral (
    select * from steps where project_id = $4 and conversation_id = k.key->>0 and id = k.key->>1 for update
  ) s
  where (select count(*) from conv) >= 0
), msg as (
  insert into messages (${MESSAGE_COLUMNS})
  select ${selectList(MESSAGE_COLUMNS)} from json_array_elements($2::json) j, json_populate_record(null::messages, j) r
  where coalesce(j->>'event_id', j->>'id') in (select id from ev) and (select count(*) from st) >= 0
  on conflict (project_id, conversation_id, id) do nothing returning conversation_id, id
), fb as (
  insert into feedback (${FEEDBACK_COLUMNS})
  select ${selectList(FEEDBACK_COLUMNS)} from json_array_elements($3::json) j, json_populate_record(null::feedback, j) r
  where coalesce(j->>'event_id', j->>'id') in (select id from ev) and (select count(*) from msg) >= 0
  on conflict (project_id, conversation_id, id) do nothing returning conversation_id, id
)
select (select coalesce(json_agg(id), '[]') from ev) as events,
  (select coalesce(json_agg(c), '[]') from conv c) as conversations,
  (select coalesce(json_agg(s), '[]') from st s) as steps,
  (select coalesce(json_agg(json_build_array(conversation_id, id)), '[]') from msg) as messages,
  (select coalesce(json_agg(json_build_array(conversation_id, id)), '[]') from fb) as feedback`;

interface IntakeRow {
  events: string[];
  conversations: ConversationState[];
  steps: StepsTable[];
  messages: Array<[string, string]>;
  feedback: Array<[string, string]>;
}

async function takeInAtOnce(trx: Trx, projectId: string, events: ParsedEvent[]): Promise<Intake> {
  const receivedAt = Date.now();
  const sorted = byTime([...events]);
  const conversationIds = [...new Set(events.map((event) => event.body.conversationId))].sort();
  const stepKeys = stepKeysOf(events);
  const parameters = [
    JSON.stringify(events.map((event) => event.id)),
    JSON.stringify(
      sorted.flatMap((e) => (e.type === 'message' ? [intakeRow(messageRow(projectId, e), e.id)] : [])),
    ),
    JSON.stringify(
      sorted.flatMap((e) => (e.type === 'feedback' ? [intakeRow(feedbackRow(projectId, e), e.id)] : [])),
    ),
    projectId,
    JSON.stringify(conversationIds),
    JSON.stringify(stepKeys),
    receivedAt,
  ];
  const result = await trx.executeQuery<IntakeRow>(CompiledQuery.raw(INTAKE_SQL, parameters));
  const row = result.rows[0] as IntakeRow;
  const accepted = new Set(row.events);
  return {
    accepted,
    fresh: sorted.filter((event) => accepted.has(event.id)),
    conversations: new Map(row.conversations.map((c) => [c.id, c])),
    steps: new Map(row.steps.map((s) => [scopedKey(s.conversation_id, s.id), s])),
    insertedMessageIds: new Set(row.messages.map(([conversation, id]) => scopedKey(conversation, id))),
    insertedFeedbackIds: new Set(row.feedback.map(([conversation, id]) => scopedKey(conversation, id))),
  };
}

async function insertEventIds(
  ctx: IntakeContext,
  trx: Trx,
  projectId: string,
  events: ParsedEvent[],
): Promise<Set<string>> {
  const receivedAt = Date.now();
  const inserted = await bulkInsert<{ id: string }>(trx, ctx.adapter, {
    table: 'ingested_events',
    columns: ['project_id', 'id', 'received_at'],
    rows: events.map((event) => ({ project_id: projectId, id: event.id, received_at: receivedAt })),
    key: ['project_id', 'id'],
    returning: ['id'],
  });
  return new Set(inserted.map((row) => row.id));
}

/** Splits ids into chunks small enough for one IN list. */
function idChunks(ids: string[], adapter: DialectAdapter): string[][] {
  const size = Math.min(adapter.maxParameters - 1, 5_000);
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

async function loadConversations(
  ctx: IntakeContext,
  trx: Trx,
  projectId: string,
  events: ParsedEvent[],
): Promise<Map<string, ConversationState>> {
  const ids = [...new Set(events.map((event) => event.body.conversationId))].sort();
  const found = new Map<string, ConversationState>();
  for (const chunk of idChunks(ids, ctx.adapter)) {
    let query = trx
      .selectFrom('conversations')
      .select([
        'id',
        'environment',
        'customer_id',
        'started_at',
        'last_human_at',
        'last_agent_at',
        'agent_version',
        'agent_version_at',
      ])
      .where('project_id', '=', projectId)
      .where('id', 'in', chunk);
    if (ctx.adapter.lockRowsForMerge) query = query.forUpdate();
    for (const row of await query.execute()) found.set(row.id, row);
  }
  return found;
}

/** The (conversation, step id) pairs of a batch's step events, distinct and in key order. */
function stepKeysOf(events: ParsedEvent[]): Array<[string, string]> {
  const keys = new Map<string, [string, string]>();
  for (const event of events)
    if (event.type === 'step')
      keys.set(scopedKey(event.body.conversationId, event.body.stepId), [
        event.body.conversationId,
        event.body.stepId,
      ]);
  return [...keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, key]) => key);
}

/**
 * SQLite: the stored steps of a batch, each found on the primary key through a JSON list of
 * (conversation, step id) pairs. `cross join` makes the list the outer loop: with a plain join the
 * planner may scan every step of the project and the whole list for each (a 10,000-span OTLP export
 * took 30 s, growing with the square of the batch and with the project's steps).
 */
export const SQLITE_STEPS_BY_KEY = `select s.* from json_each(?) k cross join steps s
  on s.project_id = ? and s.conversation_id = k.value ->> 0 and s.id = k.value ->> 1`;

/** SQLite: the stored steps of the batch (SQLITE_STEPS_BY_KEY). */
async function loadSteps(
  trx: Trx,
  projectId: string,
  events: ParsedEvent[],
): Promise<Map<string, StepsTable>> {
  const keys = stepKeysOf(events);
  const found = new Map<string, StepsTable>();
  if (keys.length === 0) return found;
  const result = await trx.executeQuery<StepsTable>(
    CompiledQuery.raw(SQLITE_STEPS_BY_KEY, [JSON.stringify(keys), projectId]),
  );
  for (const row of result.rows) found.set(scopedKey(row.conversation_id, row.id), row);
  return found;
}

/** Inserts rows keyed by (project_id, conversation_id, id), ignoring existing ones; returns the keys inserted. */
async function insertOnce(
  ctx: IntakeContext,
  trx: Trx,
  table: 'messages' | 'feedback',
  rows: ReadonlyArray<object>,
): Promise<Set<string>> {
  const first = rows[0];
  if (!first) return new Set();
  const inserted = await bulkInsert<{ conversation_id: string; id: string }>(trx, ctx.adapter, {
    table,
    columns: Object.keys(first),
    rows: rows as ReadonlyArray<Record<string, unknown>>,
    key: ['project_id', 'conversation_id', 'id'],
    returning: ['conversation_id', 'id'],
  });
  return new Set(inserted.map((row) => scopedKey(row.conversation_id, row.id)));
}
