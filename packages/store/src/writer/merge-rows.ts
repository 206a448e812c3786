/**
 * The row half of a conversation merge: `from`'s messages, steps and feedback move into `into`. A row
 * both have (a client-chosen id sent to both) is kept once: `into`'s message or feedback, `into`'s step
 * completed with what `from`'s copy knew. What a dropped copy counted in the rollups goes into a
 * footprint, to be taken out.
 */
import { sql, type Transaction } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import type { Database, StepsTable } from '../schema.ts';
import type { RollupFootprint, RollupOwner } from './rollup-footprint.ts';

/** The rows of `from` that now belong to `into` (copies folded into `into`'s rows not included). */
export interface MovedRows {
  messages: number;
  steps: number;
  feedback: number;
  scores: number;
}

/** One merge's parties, inside its transaction. */
export interface RowMerge {
  trx: Transaction<Database>;
  adapter: DialectAdapter;
  projectId: string;
  from: string;
  into: string;
}

type RowTable = 'messages' | 'steps' | 'feedback';

/** Columns a folded step takes from `from`'s copy when `into`'s has none. */
const FILLED_STEP_COLUMNS = [
  'parent_id',
  'ended_at',
  'duration_ms',
  'input',
  'output',
  'error',
  'tools_used',
  'metadata',
  'model',
  'provider',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cost_usd',
  'ttft_ms',
] as const;

/**
 * Removes `from`'s copies of rows `into` also has, adding what each counted to `footprint` (a step's
 * only when both copies were counted); returns how many steps were folded.
 */
export async function foldDuplicates(
  merge: RowMerge,
  owner: RollupOwner,
  footprint: RollupFootprint,
): Promise<number> {
  const steps = await foldSteps(merge, owner, footprint);
  const messages = await copiesIn(merge, 'messages');
  for (const message of messages) footprint.message(owner, message);
  if (messages.length > 0) await dropCopies(merge, 'messages');
  const feedback = await copiesIn(merge, 'feedback');
  for (const row of feedback) footprint.feedback(owner, row);
  if (feedback.length > 0) await dropCopies(merge, 'feedback');
  return steps;
}

/** Moves every remaining row of `from` into `into`. */
export async function moveRows(merge: RowMerge): Promise<MovedRows> {
  const move = async (table: RowTable) => {
    const result = await merge.trx
      .updateTable(table)
      .set({ conversation_id: merge.into })
      .where('project_id', '=', merge.projectId)
      .where('conversation_id', '=', merge.from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  };
  return {
    messages: await move('messages'),
    steps: await move('steps'),
    feedback: await move('feedback'),
    scores: 0,
  };
}

/** A step both conversations have: `into`'s copy, its empty fields filled from `from`'s. */
export function foldedStep(fromStep: StepsTable, intoStep: StepsTable): StepsTable {
  const folded: StepsTable = { ...intoStep };
  const target = folded as unknown as Record<string, unknown>;
  for (const column of FILLED_STEP_COLUMNS) target[column] = intoStep[column] ?? fromStep[column];
  folded.finished = Math.max(Number(fromStep.finished), Number(intoStep.finished));
  return folded;
}

async function foldSteps(merge: RowMerge, owner: RollupOwner, footprint: RollupFootprint): Promise<number> {
  const copies = await copiesIn(merge, 'steps');
  if (copies.length === 0) return 0;
  const kept = await copiesIn({ ...merge, from: merge.into, into: merge.from }, 'steps');
  const keptById = new Map(kept.map((step) => [step.id, step]));
  for (const copy of copies) {
    const intoStep = keptById.get(copy.id);
    if (!intoStep) continue;
    if (Number(intoStep.finished) === 1) footprint.step(owner, copy);
    const { project_id, conversation_id, id, ...fields } = foldedStep(copy, intoStep);
    await merge.trx
      .updateTable('steps')
      .set(fields)
      .where('project_id', '=', project_id)
      .where('conversation_id', '=', conversation_id)
      .where('id', '=', id)
      .execute();
  }
  await dropCopies(merge, 'steps');
  return copies.length;
}

/** The ids of `into`'s rows of a table, as a subquery. */
function idsOfInto(merge: RowMerge, table: RowTable) {
  return sql<string>`(select kept.id from ${sql.table(table)} kept
    where kept.project_id = ${merge.projectId} and kept.conversation_id = ${merge.into})`;
}

/** `from`'s rows of a table whose id `into` also has (normally none). */
async function copiesIn<T extends RowTable>(merge: RowMerge, table: T): Promise<Array<Database[T]>> {
  const rows = await merge.trx
    .selectFrom(table as RowTable)
    .selectAll()
    .where('project_id', '=', merge.projectId)
    .where('conversation_id', '=', merge.from)
    .where('id', 'in', idsOfInto(merge, table))
    .execute();
  return rows as Array<Database[T]>;
}

/** Deletes `from`'s copies (and, on SQLite, their entries in the message search index). */
async function dropCopies(merge: RowMerge, table: RowTable): Promise<void> {
  const { trx, projectId, from } = merge;
  if (table === 'messages' && merge.adapter.name === 'sqlite') {
    await sql`insert into message_search(message_search, rowid, content)
      select 'delete', rowid, content from messages
      where project_id = ${projectId} and conversation_id = ${from} and id in ${idsOfInto(merge, table)}`.execute(
      trx,
    );
  }
  await trx
    .deleteFrom(table)
    .where('project_id', '=', projectId)
    .where('conversation_id', '=', from)
    .where('id', 'in', idsOfInto(merge, table))
    .execute();
}
