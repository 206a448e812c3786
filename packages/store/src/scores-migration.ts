/**
 * Migration 0007: scores (typed evaluations of a conversation, a message or a step) and their rollups
 * per hour (name, data type, source, agent version, category) and per customer.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from './dialect.ts';
import { tableEnd } from './migration-helpers.ts';

/** Creates `scores`, `score_hourly` and `score_customers`. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function createScores(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const s = db.schema;
  let scores = s
    .createTable('scores')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull());
  for (const column of ['message_id', 'step_id']) scores = scores.addColumn(column, 'text');
  for (const column of ['name', 'data_type', 'source'])
    scores = scores.addColumn(column, 'text', (c) => c.notNull());
  await scores
    .addColumn('value_num', 'double precision')
    .addColumn('value_text', 'text')
    .addColumn('comment', 'text')
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('judge_run_id', 'text')
    .addColumn('agent_version', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scores_pk', ['project_id', 'conversation_id', 'id'])
    .execute();

  const keyed = (table: string) =>
    s
      .createTable(table)
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('data_type', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('value_sum', 'double precision', (c) => c.notNull().defaultTo(0));
  await keyed('score_hourly')
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('agent_version', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('score_hourly_pk', [
      'project_id',
      'bucket',
      'environment',
      'name',
      'data_type',
      'source',
      'agent_version',
      'category',
    ])
    .modifyEnd(tableEnd(dialect))
    .execute();
  await keyed('score_customers')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('score_customers_pk', [
      'project_id',
      'customer_id',
      'name',
      'data_type',
      'source',
      'category',
    ])
    .modifyEnd(tableEnd(dialect))
    .execute();
}
