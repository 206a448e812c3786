/**
 * What erased conversations counted in the rollups, read in bulk (one query per table for a chunk of
 * conversations) and summed into one RollupFootprint to take out (rollup-footprint.ts): each
 * conversation at its start, its messages, finished steps and feedback, and its agent response-latency
 * samples, replayed from its messages in time order as the append's planner took them (exact when the
 * messages arrived in that order). Also the times each conversation was active at, for the customer's
 * distinct-activity rows (customer-erasure.ts).
 */
import type { Kysely } from 'kysely';
import { dayBucket, hourBucket } from '../buckets.ts';
import { latencyBin } from '../histogram.ts';
import type { ConversationRow, Database } from '../schema.ts';
import type { CountedRows } from './counted-rows.ts';
import type { RollupFootprint, RollupOwner } from './rollup-footprint.ts';

/** Conversations per query: an `in` list both dialects plan well. */
export const ERASE_CHUNK = 500;

type ErasedMessage = CountedRows['messages'][number] & { id: string; conversation_id: string };

/** The rows of a chunk of conversations that the rollups counted, by conversation. */
async function readCountedRowsOf(
  db: Kysely<Database>,
  options: { projectId: string; ids: string[] },
): Promise<Map<string, CountedRows & { messages: ErasedMessage[] }>> {
  const { projectId, ids } = options;
  const out = new Map(ids.map((id) => [id, { messages: [] as ErasedMessage[], steps: [], feedback: [] }]));
  const rowsOf = (id: string) => out.get(id) as CountedRows & { messages: ErasedMessage[] };
  const messages = await db
    .selectFrom('messages')
    .select(['conversation_id', 'id', 'role', 'timestamp'])
    .where('project_id', '=', projectId)
    .where('conversation_id', 'in', ids)
    .execute();
  for (const message of messages) rowsOf(message.conversation_id).messages.push(message);
  const steps = await db
    .selectFrom('steps')
    .select(['conversation_id', 'type', 'name', 'started_at', 'duration_ms', 'error', 'model'])
    .select(['provider', 'input_tokens', 'output_tokens', 'cost_usd', 'finished', 'agent_version'])
    .where('project_id', '=', projectId)
    .where('conversation_id', 'in', ids)
    .where('finished', '=', 1)
    .execute();
  for (const { conversation_id, ...step } of steps) rowsOf(conversation_id).steps.push(step);
  const feedback = await db
    .selectFrom('feedback')
    .select(['conversation_id', 'sentiment', 'timestamp', 'source'])
    .where('project_id', '=', projectId)
    .where('conversation_id', 'in', ids)
    .execute();
  for (const { conversation_id, ...row } of feedback) rowsOf(conversation_id).feedback.push(row);
  return out;
}

/** Adds what the scores of a chunk of conversations counted (each as it was counted: score-keys.ts). */
async function addScoresOf(
  db: Kysely<Database>,
  options: { projectId: string; ids: string[]; footprint: RollupFootprint },
): Promise<void> {
  const scores = await db
    .selectFrom('scores')
    .select(['name', 'data_type', 'source', 'value_num', 'value_text', 'agent_version'])
    .select(['customer_id', 'environment', 'timestamp'])
    .where('project_id', '=', options.projectId)
    .where('conversation_id', 'in', options.ids)
    .execute();
  for (const score of scores) options.footprint.score(score);
}

/**
 * Adds what a chunk of conversations counted to `footprint`; `countCustomer` false leaves the customer
 * tables out (a customer erased whole loses those rows outright). Returns each conversation's activity
 * times (its start and last activity, and its rows' times).
 */
export async function addErasedFootprint(
  db: Kysely<Database>,
  options: {
    projectId: string;
    conversations: ConversationRow[];
    footprint: RollupFootprint;
    countCustomer: boolean;
  },
): Promise<Map<string, number[]>> {
  const { conversations, footprint } = options;
  const ids = conversations.map((row) => row.id);
  const counted = await readCountedRowsOf(db, { projectId: options.projectId, ids });
  await addScoresOf(db, { projectId: options.projectId, ids, footprint });
  const times = new Map<string, number[]>();
  for (const row of conversations) {
    const rows = counted.get(row.id) as CountedRows & { messages: ErasedMessage[] };
    const owner: RollupOwner = {
      environment: row.environment,
      customerId: options.countCustomer ? row.customer_id : null,
    };
    footprint.conversation(owner, Number(row.started_at));
    footprint.rows(owner, rows);
    addResponseLatencies(footprint, { owner, messages: rows.messages });
    times.set(row.id, activityTimes(row, rows));
  }
  return times;
}

/** When a conversation was active: its start and last activity, and its rows' times. */
function activityTimes(row: ConversationRow, rows: CountedRows): number[] {
  return [
    Number(row.started_at),
    Number(row.last_activity_at),
    ...rows.messages.map((message) => Number(message.timestamp)),
    ...rows.steps.map((step) => Number(step.started_at)),
    ...rows.feedback.map((feedback) => Number(feedback.timestamp)),
  ];
}

/**
 * The response-latency samples of a conversation's messages, as the planner (batch-plan.ts) took them:
 * an agent message answering the latest human message not yet answered counts the time between them,
 * in the agent message's hour and day.
 */
function addResponseLatencies(
  footprint: RollupFootprint,
  options: { owner: RollupOwner; messages: ErasedMessage[] },
): void {
  const ordered = [...options.messages]
    .map((message) => ({ role: message.role, at: Number(message.timestamp), id: message.id }))
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let lastHuman: number | null = null;
  let lastAgent: number | null = null;
  for (const { role, at } of ordered) {
    if (role === 'human') lastHuman = Math.max(lastHuman ?? at, at);
    if (role !== 'agent') continue;
    const answered = lastAgent !== null && lastHuman !== null && lastAgent >= lastHuman;
    if (lastHuman !== null && !answered && at >= lastHuman) {
      const key = {
        environment: options.owner.environment,
        metric: 'response',
        key: '',
        bin: latencyBin(at - lastHuman),
      };
      footprint.latency.add({ ...key, bucket: hourBucket(at) }, { count: 1 });
      footprint.latencyDaily.add({ ...key, bucket: dayBucket(at) }, { count: 1 });
    }
    lastAgent = Math.max(lastAgent ?? at, at);
  }
}
