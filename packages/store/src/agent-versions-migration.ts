/**
 * Migration 0008: agent versions. Conversations, messages and steps keep the version that produced them
 * (a conversation its latest, with that event's time), and `version_hourly` sums what each version's
 * finished steps did per hour: runs, tool calls, model calls, tokens, cost, errors.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from './dialect.ts';
import { tableEnd } from './migration-helpers.ts';

const COUNTERS = ['runs', 'run_errors', 'tool_calls', 'tool_errors', 'llm_calls', 'errors'];

/** Adds the agent_version columns, their indexes and `version_hourly`. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function addAgentVersions(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const s = db.schema;
  await s.alterTable('conversations').addColumn('agent_version', 'text').execute();
  await s.alterTable('conversations').addColumn('agent_version_at', 'bigint').execute();
  await s.alterTable('messages').addColumn('agent_version', 'text').execute();
  await s.alterTable('steps').addColumn('agent_version', 'text').execute();
  // Partial: conversations without a version (most, for trackers without agents) are not in it.
  await s
    .createIndex('conversations_agent_version')
    .on('conversations')
    .columns(['project_id', 'agent_version', 'last_activity_at desc', 'id desc'])
    .where(sql.ref('agent_version'), 'is not', null)
    .execute();

  let table = s
    .createTable('version_hourly')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('agent_version', 'text', (c) => c.notNull());
  for (const column of [...COUNTERS, 'input_tokens', 'output_tokens'])
    table = table.addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0));
  await table
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('version_hourly_pk', ['project_id', 'bucket', 'environment', 'agent_version'])
    .modifyEnd(tableEnd(dialect))
    .execute();
}
