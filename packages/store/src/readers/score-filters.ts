/**
 * The list filters on scores and agent versions: a conversation matches `scoreName` (with its source,
 * range or value) when it has such a score, on itself or on one of its messages or steps; `agentVersion`
 * matches its latest version.
 *
 * A score filter is read one of two ways, chosen by counting first (`planScoreFilter`):
 * - `scores`: few scores can match (fewer than `fewScores` of the name and value range): the matching
 *   conversations are taken from the `scores_filter` index and only they are read and sorted.
 * - `conversations`: many can: the list walks conversations newest first and probes each one's scores by
 *   the primary key (project, conversation), stopping at a page: a filter that 10 % pass takes ~500
 *   probes, where reading every match from the index would cost 100,000 lookups and a sort.
 * Measured on 1M conversations with 3M scores, first page p95 (bench/ingest/README.md): 0.1 % of
 * conversations matching, 1.6 s walking them, 4-11 ms from the scores; 1 %, where both ways cost about
 * the same, 29-46 ms; 3 %, 133 ms from the scores, 12-24 ms walking.
 */
import type { ScoreFilter } from '@sightline/core';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.ts';
import type { Database } from '../schema.ts';

type ConversationsBuilder = ExpressionBuilder<Database, 'conversations'>;

/** How a score filter is read: from the matching scores (few) or conversation by conversation (many). */
export type ScoreFilterPlan = 'scores' | 'conversations';

/**
 * Where the two ways cost the same: walking conversations costs about 50 x conversations / matches
 * probes, starting from the scores about one lookup per match, so they meet at matches = sqrt(K x
 * conversations). K = 144 puts it at 12,000 scores on 1M conversations (measured there: 1 % of them
 * matching costs about the same either way, 3 % took 133 ms from the scores) and at 3,800 on 100k.
 */
const CROSSOVER_K = 144;

/** Fewest scores of a name and range that make the list walk conversations, for a project of this size. */
export function fewScores(conversations: number): number {
  return Math.max(100, Math.ceil(Math.sqrt(CROSSOVER_K * Math.max(0, conversations))));
}

/** Whether the filter has anything about scores or versions. */
export function hasScoreFilter(filter: ScoreFilter): boolean {
  return filter.scoreName !== undefined || filter.agentVersion !== undefined;
}

/**
 * Which way to read the filter's score condition: counts the project's conversations (from the hourly
 * rollups, one row an hour) and the scores of the filter's name and value range, up to `fewScores` of
 * them (from the `scores_filter` index alone). Source, category and data type are not in that index: the
 * count is of scores that may match, so `scores` is chosen only when few can.
 */
export async function planScoreFilter(
  ctx: { db: Kysely<Database> },
  projectId: string,
  filter: ScoreFilter,
): Promise<ScoreFilterPlan> {
  if (filter.scoreName === undefined) return 'conversations';
  const total = await ctx.db
    .selectFrom('rollup_hourly')
    .select((eb) => eb.fn.sum<number | string | null>('conversations').as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  const few = fewScores(Number(total?.n ?? 0));
  let candidates = ctx.db
    .selectFrom('scores')
    .select(sql<number>`1`.as('one'))
    .where('project_id', '=', projectId)
    .where('name', '=', filter.scoreName);
  const [low, high] = valueRange(filter);
  if (low !== undefined) candidates = candidates.where('value_num', '>=', low);
  if (high !== undefined) candidates = candidates.where('value_num', '<=', high);
  const row = await ctx.db
    .selectFrom(candidates.limit(few).as('candidates'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0) < few ? 'scores' : 'conversations';
}

/**
 * The range of `value_num` every matching score is in, as far as the index can tell: the filter's
 * min/max; a value that can only be a number (`true`/`false` are also booleans 1/0) adds nothing here,
 * since the same text may be a category, whose `value_num` is null.
 */
function valueRange(filter: ScoreFilter): [number | undefined, number | undefined] {
  if (filter.scoreValue !== undefined) return [undefined, undefined];
  return [filter.scoreMin, filter.scoreMax];
}

/** The condition on a conversations row the filter describes (call when `hasScoreFilter`). */
export function scoreCondition(
  eb: ConversationsBuilder,
  options: { projectId: string; filter: ScoreFilter; plan: ScoreFilterPlan; dialect: DialectName },
) {
  const { filter } = options;
  const conditions = [];
  if (filter.agentVersion !== undefined) conditions.push(eb('agent_version', '=', filter.agentVersion));
  if (filter.scoreName !== undefined) {
    const name = filter.scoreName;
    if (options.plan === 'scores') {
      const matching = matchingScores(eb, filter, name)
        .where('s.project_id', '=', options.projectId)
        .select('s.conversation_id');
      // PostgreSQL plans `in (subquery)` as a semi-join and, its estimate of the matches far off, walks
      // the conversations anyway (1.4 s for 0.1 % of 100k); `= any(array(…))` runs the subquery first.
      conditions.push(
        options.dialect === 'postgres'
          ? sql<boolean>`${eb.ref('conversations.id')} = any(array(${matching}))`
          : eb('conversations.id', 'in', matching),
      );
    } else {
      // On SQLite `+s.name` keeps the probe on the primary key: with the name usable, SQLite may probe
      // through scores_filter (name and range, every conversation's scores) for each conversation.
      const probe = matchingScores(eb, filter, name, options.dialect === 'sqlite')
        .select(sql<number>`1`.as('one'))
        .whereRef('s.project_id', '=', 'conversations.project_id')
        .whereRef('s.conversation_id', '=', 'conversations.id');
      conditions.push(eb.exists(probe));
    }
  }
  return eb.and(conditions);
}

/** The scores the filter asks for (every condition but the conversation). */
function matchingScores(eb: ConversationsBuilder, filter: ScoreFilter, name: string, nameUnindexed = false) {
  let query = eb
    .selectFrom('scores as s')
    .where(nameUnindexed ? sql<string>`+s.name` : sql.ref<string>('s.name'), '=', name);
  if (filter.scoreSource !== undefined) query = query.where('s.source', '=', filter.scoreSource);
  if (filter.scoreMin !== undefined) query = query.where('s.value_num', '>=', filter.scoreMin);
  if (filter.scoreMax !== undefined) query = query.where('s.value_num', '<=', filter.scoreMax);
  const value = filter.scoreValue;
  if (value !== undefined) {
    query = query.where((inner) => {
      const options = [
        inner.and([inner('s.data_type', '=', 'categorical'), inner('s.value_text', '=', value)]),
      ];
      if (value === 'true' || value === 'false')
        options.push(
          inner.and([
            inner('s.data_type', '=', 'boolean'),
            inner('s.value_num', '=', value === 'true' ? 1 : 0),
          ]),
        );
      const number = Number(value);
      if (value.trim() !== '' && Number.isFinite(number))
        options.push(inner.and([inner('s.data_type', '=', 'numeric'), inner('s.value_num', '=', number)]));
      return inner.or(options);
    });
  }
  return query;
}
