/**
 * Conversation aliases: the ids of conversations merged into another. A merge records its `from` as an
 * alias of its `into` and re-points older aliases of `from`, so every alias names a live conversation
 * in one step; `into` stops being an alias (it is a conversation again). Events are not resolved
 * through aliases on append (that would cost every batch a read): callers that may name a merged id
 * (the OTLP route's `trace-<id>` fallbacks) resolve it first (readers/conversation-lookup.ts).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/** Records `from` as an alias of `into` (see the file comment). */
export async function recordAlias(
  trx: Transaction<Database>,
  options: { projectId: string; from: string; into: string },
): Promise<void> {
  const { projectId, from, into } = options;
  await trx
    .deleteFrom('conversation_aliases')
    .where('project_id', '=', projectId)
    .where('alias_id', '=', into)
    .execute();
  await trx
    .updateTable('conversation_aliases')
    .set({ conversation_id: into })
    .where('project_id', '=', projectId)
    .where('conversation_id', '=', from)
    .execute();
  await trx
    .insertInto('conversation_aliases')
    .values({ project_id: projectId, alias_id: from, conversation_id: into, created_at: Date.now() })
    .onConflict((oc) => oc.columns(['project_id', 'alias_id']).doUpdateSet({ conversation_id: into }))
    .execute();
}
