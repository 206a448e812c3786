/**
 * PostgreSQL advisory locks on conversations, taken (until commit) by every transaction that writes
 * one: appends, merges. Writers of one conversation queue on its lock, so a conversation or step they
 * both create is counted once, and a merge never interleaves with an append to either conversation.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/** Advisory lock namespaces: a conversation's writers ("slcv"), a project's writers ("slpr"). */
const CONVERSATION_LOCK_SPACE = 0x736c6376;
const PROJECT_LOCK_SPACE = 0x736c7072;
/** Most conversations a transaction locks one by one; one with more locks its project. */
const MAX_CONVERSATION_LOCKS = 128;

/**
 * The intake reads which conversations and steps exist, and the plan counts the others as new: two
 * PostgreSQL writers creating one conversation, or one step, at once would both count it, neither
 * seeing the other's uncommitted row (a writer waiting on a conversation's row lock in the intake still
 * reads with the snapshot its statement began with). So first, in a statement of its own, a writer
 * takes advisory locks (held until commit) on its conversations: writers of one conversation queue
 * here, and the intake that follows (a new statement, a new snapshot) sees the previous one's commit.
 * They would queue on the conversation's row anyway. Up to 128 conversations take their project's lock
 * shared, then one lock per conversation in key order; more (a backfill) take the project's lock alone,
 * exclusively, so that no transaction holds more than 129 of PostgreSQL's shared lock slots
 * (64 x max_connections by default). Every writer takes these locks first, the project's before the
 * others, so they cannot deadlock. (SQLite writers are serialized by the database.)
 */
export async function lockConversations(
  trx: Transaction<Database>,
  projectId: string,
  conversationIds: Iterable<string>,
): Promise<void> {
  const ids = [...new Set(conversationIds)];
  const query =
    ids.length > MAX_CONVERSATION_LOCKS
      ? CompiledQuery.raw('select pg_advisory_xact_lock($1, hashtext($2))', [PROJECT_LOCK_SPACE, projectId])
      : CompiledQuery.raw(LOCK_CONVERSATIONS_SQL, [
          CONVERSATION_LOCK_SPACE,
          projectId,
          JSON.stringify(ids),
          PROJECT_LOCK_SPACE,
        ]);
  await trx.executeQuery(query);
}

/** The project's shared lock is an init plan: taken once, at the first row, before any row's lock. */
const LOCK_CONVERSATIONS_SQL = `select count(pg_advisory_xact_lock($1, s.k)) from (
  select distinct hashtext($2 || '/' || i.id) as k from json_array_elements_text($3::json) as i(id)
  order by 1
) s where (select count(pg_advisory_xact_lock_shared($4, hashtext($2)))) >= 0`;

/**
 * Takes the project's writers' lock exclusively (until commit): every append to the project and every
 * merge waits until this transaction ends (an erasure of a customer, who may be in any conversation).
 */
export async function lockProject(trx: Transaction<Database>, projectId: string): Promise<void> {
  await trx.executeQuery(
    CompiledQuery.raw('select pg_advisory_xact_lock($1, hashtext($2))', [PROJECT_LOCK_SPACE, projectId]),
  );
}
