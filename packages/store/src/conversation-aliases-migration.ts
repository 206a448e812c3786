/**
 * Migration 0004: conversation aliases. A conversation merged into another (`mergeConversation`)
 * leaves its id behind as an alias, so that events naming it later (an OTLP trace's late spans) can
 * be stored under the conversation it became.
 */
import type { Kysely } from 'kysely';

/** Creates `conversation_aliases` (project, alias id) -> conversation id. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function createConversationAliases(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversation_aliases')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('alias_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_aliases_pk', ['project_id', 'alias_id'])
    .execute();
  // A merge re-points the aliases of the conversation it removes.
  await db.schema
    .createIndex('conversation_aliases_target')
    .on('conversation_aliases')
    .columns(['project_id', 'conversation_id'])
    .execute();
}
