/**
 * Migration 0010: retention. Customers kept for another number of days than their project
 * (`customer_retention`) and each project's last expiry run with what every run removed
 * (`retention_runs`). Expiry finds conversations by their last activity through the existing indexes
 * (`conversations_recent`, `conversations_customer`), so no index is added to the tables ingest writes.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from './dialect.ts';
import { tableEnd } from './migration-helpers.ts';

/** Creates the retention tables. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function createRetention(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const s = db.schema;
  await s
    .createTable('customer_retention')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_retention_pk', ['project_id', 'customer_id'])
    .modifyEnd(tableEnd(dialect))
    .execute();
  await s
    .createTable('retention_runs')
    .addColumn('project_id', 'text', (c) => c.primaryKey())
    .addColumn('ran_at', 'bigint', (c) => c.notNull())
    .addColumn('cutoff', 'bigint')
    .addColumn('caught_up', 'integer', (c) => c.notNull())
    .addColumn('removed', 'text', (c) => c.notNull())
    .addColumn('removed_total', 'text', (c) => c.notNull())
    .modifyEnd(tableEnd(dialect))
    .execute();
}
