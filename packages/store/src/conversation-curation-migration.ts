/** Migration 0006: what people set on a conversation (a name they gave it, a mark), apart from ingest. */
import { type Kysely, sql } from 'kysely';

/** Adds `custom_name` and `marked` to conversations, and an index of the marked ones by recency. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function addConversationCuration(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('custom_name', 'text').execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('marked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Partial: only marked conversations are in it, so ingest (which never marks) does not maintain it.
  await db.schema
    .createIndex('conversations_marked')
    .on('conversations')
    .columns(['project_id', 'last_activity_at desc', 'id desc'])
    .where(sql.ref('marked'), '=', 1)
    .execute();
}
