/**
 * What people set on a conversation: a name they give it (shown instead of the name its tracker sent,
 * which ingest keeps updating underneath: null goes back to it) and a mark. Neither counts in any
 * rollup, so a change is one update of the conversations row.
 */
import type { ConversationPatch, ConversationSummary } from '@sightline/core';
import type { Kysely } from 'kysely';
import { toConversationSummary } from '../readers/conversation-mapping.ts';
import type { Database } from '../schema.ts';

/** Applies a rename and/or mark; the conversation as it now reads, or null when there is none. */
export async function updateConversation(
  db: Kysely<Database>,
  options: { projectId: string; id: string; patch: ConversationPatch },
): Promise<ConversationSummary | null> {
  const { projectId, id, patch } = options;
  const set: { custom_name?: string | null; marked?: number } = {};
  if (patch.name !== undefined) set.custom_name = patch.name;
  if (patch.marked !== undefined) set.marked = patch.marked ? 1 : 0;
  if (Object.keys(set).length > 0)
    await db
      .updateTable('conversations')
      .set(set)
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .execute();
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toConversationSummary(row) : null;
}
