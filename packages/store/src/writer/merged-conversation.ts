/**
 * The conversations row two conversations merge into, as appending `from`'s events to `into` would have
 * left it: counters added (less what dropped copies counted), the earliest start and first message,
 * the latest activity, and `into`'s fields where it has them (`from`'s where it has none). Pure.
 */
import type { ConversationsTable } from '../schema.ts';
import type { ROLLUP_COUNTERS } from './batch-plan.ts';

type RollupCounter = (typeof ROLLUP_COUNTERS)[number];

/** The conversation counters, each with the rollup counter that counts the same thing. */
const COUNTERS = {
  message_count: 'messages',
  tool_call_count: 'tool_calls',
  llm_call_count: 'llm_calls',
  error_count: 'errors',
  input_tokens: 'input_tokens',
  output_tokens: 'output_tokens',
  cost_usd: 'cost_usd',
  fb_positive: 'fb_positive',
  fb_neutral: 'fb_neutral',
  fb_negative: 'fb_negative',
} as const satisfies Partial<Record<keyof ConversationsTable, RollupCounter>>;

const FIELDS = ['customer_id', 'name', 'source', 'device', 'language', 'ended_at'] as const;

/** What the dropped copies of rows both conversations had counted (see merge-rows.ts). */
export interface DroppedCopies {
  totals: Record<RollupCounter, number>;
  steps: number;
}

const min = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const num = (value: number | null) => (value === null ? null : Number(value));

/** The merged row, under `into`'s id (see the file comment). */
export function mergedConversation(
  from: ConversationsTable,
  into: ConversationsTable,
  dropped: DroppedCopies,
): ConversationsTable {
  const row: ConversationsTable = { ...into };
  for (const field of FIELDS) (row as unknown as Record<string, unknown>)[field] = into[field] ?? from[field];
  row.metadata = JSON.stringify({ ...JSON.parse(from.metadata), ...JSON.parse(into.metadata) });
  row.tags = into.tags === '[]' ? from.tags : into.tags;
  row.started_at = Math.min(Number(from.started_at), Number(into.started_at));
  row.last_activity_at = Math.max(Number(from.last_activity_at), Number(into.last_activity_at));
  const fromFirst = num(from.first_message_at);
  const intoFirst = num(into.first_message_at);
  const firstFromFrom = fromFirst !== null && (intoFirst === null || fromFirst < intoFirst);
  row.first_message = firstFromFrom ? from.first_message : into.first_message;
  row.first_message_at = min(fromFirst, intoFirst);
  row.last_human_at = max(num(from.last_human_at), num(into.last_human_at));
  row.last_agent_at = max(num(from.last_agent_at), num(into.last_agent_at));
  for (const [column, counter] of Object.entries(COUNTERS) as Array<[keyof typeof COUNTERS, RollupCounter]>)
    row[column] = Number(from[column]) + Number(into[column]) - dropped.totals[counter];
  row.step_count = Number(from.step_count) + Number(into.step_count) - dropped.steps;
  // The agent version of the later of the two latest stamped events.
  const fromAt = num(from.agent_version_at);
  const intoAt = num(into.agent_version_at);
  if (fromAt !== null && (intoAt === null || fromAt > intoAt)) {
    row.agent_version = from.agent_version;
    row.agent_version_at = fromAt;
  }
  return row;
}
