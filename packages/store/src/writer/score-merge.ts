/**
 * The score half of a conversation merge: `from`'s scores move into `into` as if their events had
 * named `into` (its environment; `from`'s customer, else `into`'s), each taken out of the score rollups
 * as it was counted and counted again as it now stands. A score id both conversations have is kept
 * once: the later write (score-writes.ts's rule). A rename (no `into` yet) moves them unchanged.
 */
import type { ConversationsTable, ScoresTable } from '../schema.ts';
import type { RowMerge } from './merge-rows.ts';
import type { RollupChange } from './rollup-changes.ts';
import { RollupFootprint } from './rollup-footprint.ts';
import { isLaterScore, upsertScores } from './score-writes.ts';

/** `from`'s scores, now `into`'s under a rename (same conversation, new id); returns how many. */
export async function renameScores(merge: RowMerge): Promise<number> {
  const result = await merge.trx
    .updateTable('scores')
    .set({ conversation_id: merge.into })
    .where('project_id', '=', merge.projectId)
    .where('conversation_id', '=', merge.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Moves `from`'s scores into `into` (see the file comment); returns the rollup changes and how many moved. */
export async function mergeScores(
  merge: RowMerge,
  pair: { from: ConversationsTable; into: ConversationsTable },
): Promise<{ changes: RollupChange[]; moved: number }> {
  const scoresOf = (conversationId: string) =>
    merge.trx
      .selectFrom('scores')
      .selectAll()
      .where('project_id', '=', merge.projectId)
      .where('conversation_id', '=', conversationId);
  const fromScores = await scoresOf(merge.from).execute();
  if (fromScores.length === 0) return { changes: [], moved: 0 };
  const kept = await scoresOf(merge.into)
    .where(
      'id',
      'in',
      fromScores.map((score) => score.id),
    )
    .execute();
  const keptById = new Map(kept.map((score) => [score.id, score]));
  const removed = new RollupFootprint();
  const added = new RollupFootprint();
  const winners: ScoresTable[] = [];
  for (const score of fromScores) {
    removed.score(score);
    const moved = movedScore(score, pair.into);
    const rival = keptById.get(score.id);
    if (rival && !isLaterScore(moved, rival)) continue;
    if (rival) removed.score(rival);
    added.score(moved);
    winners.push(moved);
  }
  await merge.trx
    .deleteFrom('scores')
    .where('project_id', '=', merge.projectId)
    .where('conversation_id', '=', merge.from)
    .execute();
  await upsertScores({ db: merge.trx, adapter: merge.adapter }, winners);
  const changes: RollupChange[] = [
    { footprint: removed, sign: -1 },
    { footprint: added, sign: 1 },
  ];
  return { changes, moved: winners.filter((score) => !keptById.has(score.id)).length };
}

/** A score of `from` as `into`'s: its environment, and its customer when the score had none. */
function movedScore(score: ScoresTable, into: ConversationsTable): ScoresTable {
  return {
    ...score,
    conversation_id: into.id,
    environment: into.environment,
    customer_id: score.customer_id ?? into.customer_id,
  };
}
