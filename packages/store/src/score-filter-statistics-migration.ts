/**
 * Migration 0013: PostgreSQL statistics on how the scores' name, source, data type and text value go
 * together (issue 15). The planner multiplies the selectivities of conditions as if independent, but a
 * name fixes its data type and its values: for `category = billing` from the model (10 % of 100,000
 * conversations) it expected 982 matching scores instead of ~10,000, so to fill a page it expected to
 * walk half the list and ran the walk as a parallel plan, whose `Gather Merge` waits for every worker's
 * first row: 90-160 ms of worker start on a 4 ms query. An MCV list over the four columns gives the
 * combined frequency (estimate 9,923) and the walk runs serially. SQLite has no parallel plans and
 * plans this filter from its own statistics: nothing to do there.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from './dialect.ts';

/** Creates the `scores_values` statistics object on PostgreSQL and gathers it once. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function createScoreFilterStatistics(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create statistics scores_values (mcv) on name, source, data_type, value_text from scores`.execute(
    db,
  );
  // Extended statistics are filled only by ANALYZE: do it now (a sample of 30,000 rows) rather than
  // wait for autovacuum to analyze a large table that may change little.
  await sql`analyze scores`.execute(db);
}
