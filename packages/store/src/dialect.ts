/**
 * What differs between the SQLite and PostgreSQL dialects, and nothing else: every other query is
 * written once with Kysely and runs on both.
 */
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DialectAdapter {
  readonly name: DialectName;
  /** Merges two JSON-object text values, right side winning (`json_patch` / jsonb `||`). */
  jsonMerge(left: RawBuilder<unknown>, right: RawBuilder<unknown>): RawBuilder<string>;
  /** Smaller of two values, ignoring NULL. */
  least(left: RawBuilder<unknown>, right: RawBuilder<unknown>): RawBuilder<number>;
  /** Larger of two values, ignoring NULL. */
  greatest(left: RawBuilder<unknown>, right: RawBuilder<unknown>): RawBuilder<number>;
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
}

/** Splits user search text into plain words (letters and digits only), at most eight. */
export function searchWords(query: string): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}
