/**
 * Deleting erased conversations' own rows, table by table: their entries in the SQLite message search
 * index (an external-content FTS5 table keeps its own copy of the words, taken out with its `delete`
 * command before the messages go), messages, steps, feedback, scores, the conversations rows, and the aliases
 * (ids of conversations merged into them) that point at them.
 */
import { sql, type Transaction } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { Database } from '../schema.ts';

/** Rows deleted, per table. */
export interface DeletedRows {
  conversations: number;
  messages: number;
  steps: number;
  feedback: number;
  scores: number;
  conversationAliases: number;
}

/** Nothing deleted yet. */
export function noDeletedRows(): DeletedRows {
  return { conversations: 0, messages: 0, steps: 0, feedback: 0, scores: 0, conversationAliases: 0 };
}

/** Deletes the rows of a chunk of a project's conversations; adds the counts to `deleted`. */
export async function deleteConversationRows(
  trx: Transaction<Database>,
  options: { adapter: DialectAdapter; projectId: string; ids: string[]; deleted: DeletedRows },
): Promise<void> {
  const { projectId, ids, deleted } = options;
  if (ids.length === 0) return;
  if (options.adapter.name === 'sqlite') {
    await sql`insert into message_search(message_search, rowid, content)
      select 'delete', rowid, content from messages
      where project_id = ${projectId} and conversation_id in (${sql.join(ids)})`.execute(trx);
  }
  for (const table of ['messages', 'steps', 'feedback', 'scores'] as const) {
    const result = await trx
      .deleteFrom(table)
      .where('project_id', '=', projectId)
      .where('conversation_id', 'in', ids)
      .executeTakeFirst();
    deleted[table] += Number(result.numDeletedRows);
  }
  const conversations = await trx
    .deleteFrom('conversations')
    .where('project_id', '=', projectId)
    .where('id', 'in', ids)
    .executeTakeFirst();
  deleted.conversations += Number(conversations.numDeletedRows);
  const aliases = await trx
    .deleteFrom('conversation_aliases')
    .where('project_id', '=', projectId)
    .where('conversation_id', 'in', ids)
    .executeTakeFirst();
  deleted.conversationAliases += Number(aliases.numDeletedRows);
}
