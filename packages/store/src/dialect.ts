/**
 * What differs between the SQLite and PostgreSQL dialects, and nothing else: every other query is
 * written once with Kysely and runs on both.
 */
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DialectAdapter {
  readonly name: DialectName;
  /** SQL merging two JSON-object text expressions, right side winning (`json_patch` / jsonb `||`). */
  jsonMerge(left: string, right: string): string;
  /** SQL for the smaller of two expressions, ignoring NULL. */
  least(left: string, right: string): string;
  /** SQL for the larger of two expressions, ignoring NULL. */
  greatest(left: string, right: string): string;
  /** The bind placeholder of the n-th (1-based) parameter: `?` or `$n`. */
  placeholder(n: number): string;
  /** A subquery of conversation ids of a project whose messages match a text query. */
  searchConversationIds(projectId: string, query: string): RawBuilder<string>;
  /** A condition: the conversation's metadata has `key` equal to `value` (compared as text). */
  metadataEquals(column: RawBuilder<unknown>, key: string, value: string): RawBuilder<boolean>;
  /** Whether reads made to merge a batch should lock rows (`FOR UPDATE`). */
  readonly lockRowsForMerge: boolean;
  /** The most bind parameters one statement may carry. */
  readonly maxParameters: number;
}

/** An open database: the Kysely instance, its dialect adapter, and how to close it. */
export interface Connection {
  db: Kysely<Database>;
  adapter: DialectAdapter;
  close(): Promise<void>;
  /**
   * A connection of its own for long reads (exports), where the dialect has one: SQLite opens the file a
   * second time, read-only with a small page cache, so a scan of the whole database neither evicts the
   * pages ingest and queries use nor grows the process by a cache full of them. Absent: use `db`.
   */
  readonly scanDb?: Kysely<Database> | undefined;
  /** Cross-process notification (PostgreSQL LISTEN/NOTIFY); no-ops for SQLite. */
  broadcast(channel: string, payload: string): Promise<void>;
  subscribe(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
}

/**
 * A statement text starting with this comment runs as a named prepared statement on PostgreSQL
 * (parsed and planned once per connection). Only for statements whose plan suits every value.
 */
export const PREPARED_STATEMENT = '/* prepared */ ';

/**
 * Text search considers the most recent matching messages only (this many): a word found in every
 * fifth message of a 20M-event store would otherwise build millions of ids for a 50-row page.
 */
export const SEARCH_WINDOW = 20_000;

/** Splits user search text into plain words (letters and digits only), at most eight. */
export function searchWords(query: string): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}
