/**
 * Migration 0012: an index for the list's score filter when few scores match (issue 15). The list walks
 * conversations newest first and asks each whether it has a matching score, through the scores' primary
 * key (project, conversation): 50 matches of a filter that 0.1 % of 1M conversations pass took some
 * 50,000 probes (1.6 s). `scores_filter` lets the reader start from the scores instead: the matching
 * scores of a name and value range in order, their conversations in the index too (no table read), so
 * it counts them cheaply first and, when few, reads those conversations only (readers/score-filters.ts).
 */
import type { Kysely } from 'kysely';

/** Creates `scores_filter (project_id, name, value_num, conversation_id)`. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function createScoreFilterIndex(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('scores_filter')
    .on('scores')
    .columns(['project_id', 'name', 'value_num', 'conversation_id'])
    .execute();
}
