/**
 * Looking up conversation ids in bulk, one query for many: which name a conversation, which are
 * aliases of one (ids of conversations merged into another, writer/conversation-aliases.ts).
 */
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { Database } from '../schema.ts';

/** Each given id that is an alias, with the conversation it stands for; in one query (per 30,000 ids). */
export async function resolveAliases(
  ctx: { db: Kysely<Database>; adapter: DialectAdapter },
  projectId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunksOf(ctx.adapter, ids)) {
    const rows = await ctx.db
      .selectFrom('conversation_aliases')
      .select(['alias_id', 'conversation_id'])
      .where('project_id', '=', projectId)
      .where('alias_id', 'in', chunk)
      .execute();
    for (const row of rows) out.set(row.alias_id, row.conversation_id);
  }
  return out;
}

/** Which of the given ids name a conversation of the project; in one query (per 30,000 ids). */
export async function existingConversations(
  ctx: { db: Kysely<Database>; adapter: DialectAdapter },
  projectId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const chunk of chunksOf(ctx.adapter, ids)) {
    const rows = await ctx.db
      .selectFrom('conversations')
      .select('id')
      .where('project_id', '=', projectId)
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) out.add(row.id);
  }
  return out;
}

/** Distinct ids in lists that fit one statement's parameters. */
function chunksOf(adapter: DialectAdapter, ids: readonly string[]): string[][] {
  const distinct = [...new Set(ids)];
  const size = Math.min(30_000, adapter.maxParameters - 8);
  const chunks: string[][] = [];
  for (let start = 0; start < distinct.length; start += size)
    chunks.push(distinct.slice(start, start + size));
  return chunks;
}
