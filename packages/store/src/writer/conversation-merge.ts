/**
 * Merging one conversation into another, in one transaction: `from`'s messages, steps and feedback
 * move into `into` (which is created, as a rename, when it does not exist), the two conversations rows
 * become one, and the rollups end as if `from`'s events had named `into` from the start: `from` no
 * longer counts as a conversation, rows both had count once, and `from`'s rows count in `into`'s
 * environment and for its customer. `from` is deleted and recorded as an alias of `into`. Idempotent:
 * merging a `from` that no longer exists only records the alias. On PostgreSQL the merge takes the
 * advisory locks appends take on both conversations, so appends to either queue behind it (or it
 * behind them).
 */
import { idString } from '@sightline/core';
import type { Kysely, Transaction } from 'kysely';
import type { DialectAdapter } from '../dialect.ts';
import { StoreError } from '../errors.ts';
import type { ConversationsTable, Database } from '../schema.ts';
import { recordAlias } from './conversation-aliases.ts';
import { lockConversations } from './conversation-locks.ts';
import { needsReattribution, reattribution } from './merge-reattribution.ts';
import { foldDuplicates, type MovedRows, moveRows, type RowMerge } from './merge-rows.ts';
import { mergedConversation } from './merged-conversation.ts';
import { applyRollupChanges, type RollupChange } from './rollup-changes.ts';
import { RollupFootprint } from './rollup-footprint.ts';
import { mergeScores, renameScores } from './score-merge.ts';

/** Which conversation merges into which. */
export interface ConversationMerge {
  /** The conversation that goes away (its id becomes an alias of `into`). */
  from: string;
  /** The conversation that receives `from`'s rows; created when it does not exist. */
  into: string;
}

export interface MergeOutcome {
  /** False when `from` did not exist (nothing moved; the alias was recorded). */
  merged: boolean;
  /** `from`'s rows now in `into` (copies of rows `into` already had are not counted). */
  moved: MovedRows;
}

const NOTHING_MOVED: MovedRows = { messages: 0, steps: 0, feedback: 0, scores: 0 };

/** Merges `from` into `into` (see the file comment). */
export async function mergeConversation(
  ctx: { db: Kysely<Database>; adapter: DialectAdapter },
  projectId: string,
  merge: ConversationMerge,
): Promise<MergeOutcome> {
  checkMerge(merge);
  return ctx.db.transaction().execute(async (trx) => {
    if (ctx.adapter.name === 'postgres') await lockConversations(trx, projectId, [merge.from, merge.into]);
    await recordAlias(trx, { projectId, ...merge });
    const rows = await trx
      .selectFrom('conversations')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', 'in', [merge.from, merge.into])
      .execute();
    const from = rows.find((row) => row.id === merge.from);
    if (!from) return { merged: false, moved: NOTHING_MOVED };
    const rowMerge: RowMerge = { trx, adapter: ctx.adapter, projectId, ...merge };
    const into = rows.find((row) => row.id === merge.into);
    if (!into) {
      await renameConversation(rowMerge);
      const moved = await moveRows(rowMerge);
      return { merged: true, moved: { ...moved, scores: await renameScores(rowMerge) } };
    }
    return { merged: true, moved: await mergeInto(rowMerge, { from, into }) };
  });
}

function checkMerge(merge: ConversationMerge): void {
  for (const side of ['from', 'into'] as const) {
    const checked = idString.safeParse(merge[side]);
    if (!checked.success) {
      const message = checked.error.issues[0]?.message ?? 'must be a conversation id';
      throw new StoreError('invalid_request', `${side}: ${message}`, { issues: [{ path: side, message }] });
    }
  }
  if (merge.from === merge.into)
    throw new StoreError('invalid_request', 'into: must differ from from', {
      issues: [{ path: 'into', message: 'must differ from from' }],
    });
}

/** `into` does not exist: `from` takes its id; the rollups count the same conversation. */
async function renameConversation(merge: RowMerge): Promise<void> {
  await merge.trx
    .updateTable('conversations')
    .set({ id: merge.into })
    .where('project_id', '=', merge.projectId)
    .where('id', '=', merge.from)
    .execute();
}

/**
 * Both exist: rows move, the conversations rows merge, and what `from` counted twice is taken out;
 * what it counted elsewhere than `into` would have is counted again (merge-reattribution.ts).
 */
async function mergeInto(
  merge: RowMerge,
  rows: { from: ConversationsTable; into: ConversationsTable },
): Promise<MovedRows> {
  const { from, into } = rows;
  const taken = new RollupFootprint();
  const owner = { environment: from.environment, customerId: from.customer_id };
  const steps = await foldDuplicates(merge, owner, taken);
  const changes: RollupChange[] = [{ footprint: taken, sign: -1 }];
  if (needsReattribution(rows)) changes.push(...(await reattribution(merge, rows)));
  const scores = await mergeScores(merge, rows);
  changes.push(...scores.changes);
  const moved = { ...(await moveRows(merge)), scores: scores.moved };
  await replaceConversations(
    merge.trx,
    mergedConversation(from, into, { totals: taken.totals, steps }),
    from,
  );
  // `from` no longer counts as a conversation; for its customer only if `into` counts one for them too.
  const sameCustomer = from.customer_id !== null && from.customer_id === into.customer_id;
  taken.conversation(
    { environment: from.environment, customerId: sameCustomer ? from.customer_id : null },
    Number(from.started_at),
  );
  await applyRollupChanges({ db: merge.trx, adapter: merge.adapter }, merge.projectId, changes);
  return moved;
}

/** Writes the merged row over `into`'s and deletes `from`'s. */
async function replaceConversations(
  trx: Transaction<Database>,
  merged: ConversationsTable,
  from: ConversationsTable,
): Promise<void> {
  const { project_id, id, ...fields } = merged;
  await trx
    .updateTable('conversations')
    .set(fields)
    .where('project_id', '=', project_id)
    .where('id', '=', id)
    .execute();
  await trx
    .deleteFrom('conversations')
    .where('project_id', '=', from.project_id)
    .where('id', '=', from.id)
    .execute();
}
