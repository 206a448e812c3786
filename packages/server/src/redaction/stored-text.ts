/**
 * Test helper: every text column of every table a project's data lands in, read with SQL (SQLite or
 * PostgreSQL), grouped by conversation where the table has one.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';

/** Text columns per table, and the column naming the row's conversation (null: none). */
export const TEXT_COLUMNS: ReadonlyArray<{ table: string; conversation: string | null; columns: string[] }> =
  [
    {
      table: 'conversations',
      conversation: 'id',
      columns: ['name', 'metadata', 'tags', 'first_message', 'device', 'language'],
    },
    { table: 'messages', conversation: 'conversation_id', columns: ['content', 'metadata', 'attachments'] },
    {
      table: 'steps',
      conversation: 'conversation_id',
      columns: ['name', 'input', 'output', 'error', 'metadata', 'tools_used'],
    },
    { table: 'feedback', conversation: 'conversation_id', columns: ['comment', 'metadata', 'score_name'] },
    { table: 'ingest_rejections', conversation: null, columns: ['event_id', 'path', 'message', 'sample'] },
    { table: 'ingest_counters', conversation: null, columns: ['name'] },
    { table: 'client_reports', conversation: null, columns: ['sdk', 'reasons'] },
  ];

export type Query = (text: string, projectId: string) => Promise<Array<Record<string, unknown>>>;

/** A query function over a SQLite file or a PostgreSQL pool. */
export function sqlQuery(db: { sqlite: Database.Database } | { pool: pg.Pool }): Query {
  if ('sqlite' in db)
    return async (text, projectId) =>
      db.sqlite.prepare(text.replace('$1', '?')).all(projectId) as Array<Record<string, unknown>>;
  return async (text, projectId) => (await db.pool.query(text, [projectId])).rows;
}

export interface StoredText {
  /** All text of each conversation's rows, by conversation id. */
  byConversation: Map<string, string>;
  /** All text of rows that belong to no conversation. */
  unattached: string;
  /** Rows read per table. */
  rows: Record<string, number>;
}

/** Reads every text column of the project's rows. */
export async function readStoredText(query: Query, projectId: string): Promise<StoredText> {
  const byConversation = new Map<string, string>();
  let unattached = '';
  const rows: Record<string, number> = {};
  for (const { table, conversation, columns } of TEXT_COLUMNS) {
    const select = [...(conversation ? [`${conversation} as conv`] : []), ...columns].join(', ');
    const found = await query(`select ${select} from ${table} where project_id = $1`, projectId);
    rows[table] = found.length;
    for (const row of found) {
      const text = columns.map((column) => String(row[column] ?? '')).join('\n');
      if (conversation) {
        const id = String(row.conv);
        byConversation.set(id, `${byConversation.get(id) ?? ''}\n${text}`);
      } else {
        unattached += `\n${text}`;
      }
    }
  }
  return { byConversation, unattached, rows };
}
