/**
 * Migration 0011: datasets and experiments (issue 15 item 4). A dataset keeps conversations' human
 * turns and the answers given then (curated copies: retention does not expire them; erasing their
 * source conversation does); an experiment replays a dataset, and its items link each dataset item to
 * the conversation the replay made. Indexes serve erasure (by source conversation, by conversation).
 */
import type { Kysely } from 'kysely';
import type { DialectName } from './dialect.ts';
import { tableEnd } from './migration-helpers.ts';

/** Creates `datasets`, `dataset_items`, `experiments` and `experiment_items`. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function createDatasets(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const s = db.schema;
  await s
    .createTable('datasets')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('datasets_pk', ['project_id', 'id'])
    .addUniqueConstraint('datasets_name', ['project_id', 'name'])
    .execute();
  await s
    .createTable('dataset_items')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('dataset_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('source_conversation_id', 'text')
    .addColumn('turns', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dataset_items_pk', ['project_id', 'dataset_id', 'id'])
    .addUniqueConstraint('dataset_items_source', ['project_id', 'dataset_id', 'source_conversation_id'])
    .execute();
  await s
    .createIndex('dataset_items_by_source')
    .on('dataset_items')
    .columns(['project_id', 'source_conversation_id'])
    .execute();
  await s
    .createTable('experiments')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('dataset_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('agent', 'text')
    .addColumn('agent_version', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiments_pk', ['project_id', 'id'])
    .addUniqueConstraint('experiments_name', ['project_id', 'dataset_id', 'name'])
    .execute();
  await s
    .createTable('experiment_items')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('experiment_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiment_items_pk', ['project_id', 'experiment_id', 'item_id'])
    .modifyEnd(tableEnd(dialect))
    .execute();
  await s
    .createIndex('experiment_items_by_conversation')
    .on('experiment_items')
    .columns(['project_id', 'conversation_id'])
    .execute();
}
