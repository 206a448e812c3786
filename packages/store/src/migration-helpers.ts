/** Small pieces migrations share. */
import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from './dialect.ts';

/** `without rowid` on SQLite (tables read by their primary key only), nothing on PostgreSQL. */
export function tableEnd(dialect: DialectName): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`without rowid` : sql``;
}
