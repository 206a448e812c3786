/** Migration 0003: per-project counts of what the collector changed in stored events. */
import type { Kysely } from 'kysely';

/** Creates `ingest_counters` (project, name) -> count, last time. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function createIngestCounters(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ingest_counters')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ingest_counters_pk', ['project_id', 'name'])
    .execute();
}
