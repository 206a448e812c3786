/**
 * The anchors: the same rows the store writes for each event (its id for deduplication, and its
 * message / step / feedback row), inserted with the bare drivers in one transaction per batch.
 */
import { feedbackSourceOf, type ParsedEvent } from '@sightline/core';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

type Row = Record<string, string | number | null>;

/** The rows one event becomes, by table. */
export function rowsOf(projectId: string, event: ParsedEvent): Array<[table: string, row: Row]> {
  const out: Array<[string, Row]> = [
    ['ingested_events', { project_id: projectId, id: event.id, received_at: Date.now() }],
  ];
  const b = event.body as Record<string, unknown>;
  if (event.type === 'message') {
    out.push([
      'messages',
      {
        project_id: projectId,
        id: event.id,
        conversation_id: event.body.conversationId,
        role: event.body.role,
        content: event.body.content,
        metadata: '{}',
        attachments: '[]',
        timestamp: event.timestamp,
      },
    ]);
  } else if (event.type === 'step') {
    const usage = event.body.usage;
    out.push([
      'steps',
      {
        project_id: projectId,
        id: event.body.stepId,
        conversation_id: event.body.conversationId,
        type: event.body.type,
        name: event.body.name,
        started_at: Date.parse(String(b.startedAt)),
        ended_at: b.endedAt ? Date.parse(String(b.endedAt)) : null,
        duration_ms: event.body.durationMs ?? null,
        input: b.input === undefined ? null : JSON.stringify(b.input),
        output: b.output === undefined ? null : JSON.stringify(b.output),
        error: b.error === undefined ? null : JSON.stringify(b.error),
        model: usage?.model ?? null,
        provider: usage?.provider ?? null,
        input_tokens: usage?.inputTokens ?? null,
        output_tokens: usage?.outputTokens ?? null,
        finished: 1,
      },
    ]);
  } else if (event.type === 'feedback') {
    out.push([
      'feedback',
      {
        project_id: projectId,
        id: event.id,
        conversation_id: event.body.conversationId,
        sentiment: event.body.sentiment ?? null,
        source: feedbackSourceOf(event.body),
        metadata: '{}',
        timestamp: event.timestamp,
      },
    ]);
  }
  return out;
}

/** Inserts each batch's rows with prepared better-sqlite3 statements, one transaction per batch. */
export function rawSqlite(db: BetterSqlite3.Database, projectId: string, batches: ParsedEvent[][]): void {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const insert = (table: string, row: Row) => {
    const columns = Object.keys(row);
    const key = `${table}:${columns.join(',')}`;
    let statement = statements.get(key);
    if (!statement) {
      statement = db.prepare(
        `insert into ${table} (${columns.join(',')}) values (${columns.map(() => '?').join(',')}) on conflict do nothing`,
      );
      statements.set(key, statement);
    }
    statement.run(...Object.values(row));
  };
  const writeBatch = db.transaction((batch: ParsedEvent[]) => {
    for (const event of batch) for (const [table, row] of rowsOf(projectId, event)) insert(table, row);
  });
  for (const batch of batches) writeBatch(batch);
}

/** Inserts each batch's rows as one multi-row INSERT per table, one transaction per batch. */
export async function rawPostgres(
  client: pg.PoolClient,
  projectId: string,
  batches: ParsedEvent[][],
): Promise<void> {
  for (const batch of batches) {
    const byTable = new Map<string, Row[]>();
    for (const event of batch) {
      for (const [table, row] of rowsOf(projectId, event)) {
        const rows = byTable.get(table) ?? [];
        rows.push(row);
        byTable.set(table, rows);
      }
    }
    await client.query('begin');
    for (const [table, rows] of byTable) {
      const columns = Object.keys(rows[0] as Row);
      const values: unknown[] = [];
      const tuples = rows.map(
        (row) => `(${columns.map((column) => `$${values.push(row[column] ?? null)}`).join(',')})`,
      );
      await client.query(
        `insert into ${table} (${columns.join(',')}) values ${tuples.join(',')} on conflict do nothing`,
        values,
      );
    }
    await client.query('commit');
  }
}
