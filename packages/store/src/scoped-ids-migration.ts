/**
 * Migration 0002: step, message and feedback ids are unique per conversation, not per project.
 * Clients choose these ids (OTLP span ids are unique only within a trace), so two conversations
 * that reuse one must each keep their own row: the keys become (project_id, conversation_id, id).
 *
 * PostgreSQL swaps the constraints in place (inside the migration's transaction). SQLite cannot
 * alter a key: each table is rebuilt from its own `create table` text with the new key (SQLite's
 * documented procedure for other kinds of table schema change), rows copied with their rowids so
 * the message search index still points at them, in one transaction. The migration is idempotent.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from './dialect.ts';
import { StoreError } from './errors.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
type AnyDb = Kysely<any>;

interface KeyChange {
  table: string;
  constraint: string;
  kind: 'primary key' | 'unique';
}

const CHANGES: KeyChange[] = [
  { table: 'steps', constraint: 'steps_pk', kind: 'primary key' },
  { table: 'messages', constraint: 'messages_key', kind: 'unique' },
  { table: 'feedback', constraint: 'feedback_pk', kind: 'primary key' },
];

const OLD_COLUMNS = '("project_id", "id")';
const NEW_COLUMNS = '("project_id", "conversation_id", "id")';

/** Re-keys steps, messages and feedback by conversation (see the file comment). */
export async function scopeIdsByConversation(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    for (const change of CHANGES) {
      await sql
        .raw(
          `alter table ${change.table} drop constraint ${change.constraint}, ` +
            `add constraint ${change.constraint} ${change.kind} ${NEW_COLUMNS}`,
        )
        .execute(db);
    }
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (const change of CHANGES) await rebuildSqliteTable(trx, change);
  });
}

interface SqliteObject {
  type: string;
  name: string;
  sql: string | null;
}

async function rebuildSqliteTable(db: AnyDb, change: KeyChange): Promise<void> {
  const objects = (
    await sql<SqliteObject>`select type, name, sql from sqlite_master where tbl_name = ${change.table}`.execute(
      db,
    )
  ).rows;
  const table = objects.find((object) => object.type === 'table');
  if (!table?.sql) throw new StoreError('internal', `migration 0002: table ${change.table} not found`);
  const oldKey = `constraint "${change.constraint}" ${change.kind} ${OLD_COLUMNS}`;
  if (table.sql.includes(`${change.kind} ${NEW_COLUMNS}`)) return;
  if (!table.sql.includes(oldKey))
    throw new StoreError('internal', `migration 0002: unexpected key on ${change.table}`);
  const temporary = `${change.table}_rekeyed`;
  const created = table.sql
    .replace(`"${change.table}"`, `"${temporary}"`)
    .replace(oldKey, `constraint "${change.constraint}" ${change.kind} ${NEW_COLUMNS}`);
  await sql.raw(created).execute(db);
  const columns = (
    await sql<{ name: string }>`select name from pragma_table_info(${change.table})`.execute(db)
  ).rows
    .map((column) => `"${column.name}"`)
    .join(', ');
  await sql
    .raw(`insert into "${temporary}" (rowid, ${columns}) select rowid, ${columns} from "${change.table}"`)
    .execute(db);
  await sql.raw(`drop table "${change.table}"`).execute(db);
  await sql.raw(`alter table "${temporary}" rename to "${change.table}"`).execute(db);
  // Indexes and triggers went with the old table; recreate them from their own text.
  for (const object of objects)
    if ((object.type === 'index' || object.type === 'trigger') && object.sql)
      await sql.raw(object.sql).execute(db);
}
