/**
 * The list filters on scores and agent versions: a conversation matches `scoreName` (with its source,
 * range or value) when it has such a score, on itself or on one of its messages or steps, found through
 * the scores' primary key (project, conversation); `agentVersion` matches its latest version.
 */
import type { ScoreFilter } from '@sightline/core';
import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../schema.ts';

type ConversationsBuilder = ExpressionBuilder<Database, 'conversations'>;

/** Whether the filter has anything about scores or versions. */
export function hasScoreFilter(filter: ScoreFilter): boolean {
  return filter.scoreName !== undefined || filter.agentVersion !== undefined;
}

/** The condition on a conversations row the filter describes (call when `hasScoreFilter`). */
export function scoreCondition(eb: ConversationsBuilder, filter: ScoreFilter) {
  const conditions = [];
  if (filter.agentVersion !== undefined) conditions.push(eb('agent_version', '=', filter.agentVersion));
  if (filter.scoreName !== undefined)
    conditions.push(eb.exists(matchingScores(eb, filter, filter.scoreName)));
  return eb.and(conditions);
}

function matchingScores(eb: ConversationsBuilder, filter: ScoreFilter, name: string) {
  let query = eb
    .selectFrom('scores as s')
    .select(sql<number>`1`.as('one'))
    .whereRef('s.project_id', '=', 'conversations.project_id')
    .whereRef('s.conversation_id', '=', 'conversations.id')
    .where('s.name', '=', name);
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
