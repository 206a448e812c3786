/**
 * Many conversations fast, for erasure at scale: a template of conversations goes through the store's
 * own append (so its rows and rollups are what ingest makes), then SQL copies it `copies - 1` times
 * with every id (conversation, message, step, feedback, customer) suffixed `~<n>`, and multiplies the
 * rollup counters by `copies`. The result is exactly what appending the suffixed copies would have
 * made: counters add up, and each copy's customers are new ones (so distinct-customer counts multiply
 * too). `copyProject` then duplicates a project's rows into another, for a project to compare with.
 */
import type { IngestEvent } from '@sightline/core';
import type { Store } from '../store.ts';
import { lit, type QueryRows } from './erasure-checks.ts';
import { feedbackEvent, messageEvent, parseEvents, stepEvent } from './events.ts';

const MINUTE = 60_000;
const TOOLS = ['search', 'lookup', 'calculate'];
const USAGE = { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 120, outputTokens: 60 };

/** One other conversation of the template: two messages, sometimes a tool call, a model call, feedback. */
export function otherConversation(i: number, at: number): IngestEvent[] {
  const ctx = {
    conversationId: `other-${i}`,
    ...(i % 9 === 0 ? {} : { customerId: `cust-${i % 250}` }),
    environment: i % 4 === 0 ? 'staging' : 'prod',
  };
  const events = [messageEvent(ctx, { role: 'human', content: `question ${i}`, at })];
  if (i % 3 === 0)
    events.push(
      stepEvent(ctx, {
        type: 'tool',
        name: TOOLS[i % TOOLS.length] as string,
        at: at + 200,
        durationMs: 50 + (i % 400),
        ...(i % 15 === 0 ? { error: 'failed' } : {}),
      }),
    );
  if (i % 4 === 0)
    events.push(stepEvent(ctx, { type: 'llm', name: 'chat', at: at + 300, durationMs: 700, usage: USAGE }));
  events.push(messageEvent(ctx, { role: 'agent', content: `answer ${i}`, at: at + 900 + (i % 7) * 300 }));
  if (i % 10 === 0)
    events.push(
      feedbackEvent(ctx, { sentiment: i % 20 === 0 ? 'negative' : 'positive', at: at + 5 * MINUTE }),
    );
  return events;
}

/** Appends events in batches of up to 2,000, in time order. */
export async function appendAll(store: Store, project: string, events: IngestEvent[]): Promise<void> {
  const ordered = [...events].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  for (let start = 0; start < ordered.length; start += 2_000) {
    const batch: IngestEvent[] = ordered.slice(start, start + 2_000);
    const parsed = [];
    for (let i = 0; i < batch.length; i += 1_000) parsed.push(...parseEvents(batch.slice(i, i + 1_000)));
    await store.append(project, parsed);
  }
}

/** Columns suffixed in each copy (ids); nullable ones stay null. */
const COPIED: Record<string, string[]> = {
  conversations: ['id', 'customer_id'],
  messages: ['conversation_id', 'id'],
  steps: ['conversation_id', 'id', 'parent_id'],
  feedback: ['conversation_id', 'id', 'message_id'],
  scores: ['conversation_id', 'id', 'message_id', 'step_id', 'customer_id'],
  score_customers: ['customer_id'],
  customer_activity: ['customer_id'],
  customer_daily: ['customer_id'],
  customers: ['customer_id'],
};

/** Counters multiplied by the number of copies. */
const MULTIPLIED: Record<string, string[]> = {
  rollup_hourly: [
    'conversations',
    'messages',
    'human_messages',
    'agent_messages',
    'customers',
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
  ],
  daily_customers: ['customers'],
  tool_hourly: ['calls', 'errors'],
  model_hourly: ['calls', 'input_tokens', 'output_tokens', 'cost_usd'],
  latency_hourly: ['count'],
  latency_daily: ['count'],
  version_hourly: [
    'runs',
    'run_errors',
    'tool_calls',
    'tool_errors',
    'llm_calls',
    'errors',
    'input_tokens',
    'output_tokens',
    'cost_usd',
  ],
  feedback_hourly: ['count'],
  score_hourly: ['count', 'value_sum'],
};

/** A table's columns, in order. */
async function columnsOf(store: Store, query: QueryRows, table: string): Promise<string[]> {
  const rows =
    store.dialect === 'sqlite'
      ? await query(`select name from pragma_table_info(${lit(table)}) order by cid`)
      : await query(`select column_name as name from information_schema.columns
          where table_name = ${lit(table)} and table_schema = current_schema() order by ordinal_position`);
  return rows.map((row) => String(row.name));
}

const quoted = (column: string) => `"${column}"`;

/** Copies the project's template rows `copies - 1` times with suffixed ids, and multiplies its rollups. */
export async function multiplyProject(
  store: Store,
  options: {
    query: QueryRows;
    exec: (statement: string) => Promise<unknown>;
    projectId: string;
    copies: number;
  },
): Promise<void> {
  const { query, exec, projectId, copies } = options;
  if (copies <= 1) return;
  for (const [table, ids] of Object.entries(COPIED)) {
    const columns = await columnsOf(store, query, table);
    const values = columns.map((column) =>
      ids.includes(column)
        ? `case when t.${quoted(column)} is null then null else t.${quoted(column)} || '~' || k.n end`
        : `t.${quoted(column)}`,
    );
    await exec(`with recursive k(n) as (select 1 union all select n + 1 from k where n < ${copies - 1})
      insert into ${table} (${columns.map(quoted).join(', ')})
      select ${values.join(', ')} from ${table} t, k where t.project_id = ${lit(projectId)}`);
  }
  for (const [table, counters] of Object.entries(MULTIPLIED)) {
    const set = counters.map((column) => `${quoted(column)} = ${quoted(column)} * ${copies}`).join(', ');
    await exec(`update ${table} set ${set} where project_id = ${lit(projectId)}`);
  }
}

/**
 * The tables `copyProject` duplicates: all a project's data but its messages, which no read compared
 * after an erasure looks at (metrics, customers and tool calls read rollups, steps and conversations),
 * and which cost the most to copy (the text search index).
 */
const PROJECT_TABLES = [...Object.keys(COPIED), ...Object.keys(MULTIPLIED)].filter(
  (table) => table !== 'messages',
);

/** Duplicates the rows of `from` in the project tables (messages aside) into project `to`. */
export async function copyProject(
  store: Store,
  options: { query: QueryRows; exec: (statement: string) => Promise<unknown>; from: string; to: string },
): Promise<void> {
  for (const table of PROJECT_TABLES) {
    const columns = await columnsOf(store, options.query, table);
    const values = columns.map((column) => (column === 'project_id' ? lit(options.to) : quoted(column)));
    await options.exec(`insert into ${table} (${columns.map(quoted).join(', ')})
      select ${values.join(', ')} from ${table} where project_id = ${lit(options.from)}`);
  }
}
