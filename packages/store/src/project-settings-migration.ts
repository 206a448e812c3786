/** Migration 0005: per-project settings (retention, redaction), one JSON document per project. */
import type { Kysely } from 'kysely';

/** Creates `project_settings` (project) -> settings JSON, last update. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function createProjectSettings(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('project_settings')
    .addColumn('project_id', 'text', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
