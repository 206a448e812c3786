/** The slowest or failing calls of one tool, linked to their conversations (the Tools page). */
import type { StoredStep } from '@sightline/core';
import { isToolCall, TOOL_STEP_TYPES } from '../writer/batch-plan.ts';
import { toStoredStep } from './conversation-mapping.ts';
import type { ReadContext } from './conversations.ts';

export interface ToolCallFilter {
  name: string;
  kind: 'slowest' | 'failed' | 'recent';
  from?: number;
  to?: number;
  limit: number;
}

/** Calls of a tool, by the given ordering: slowest first, failed ones newest first, or newest first. */
export async function listToolCalls(
  ctx: ReadContext,
  projectId: string,
  filter: ToolCallFilter,
): Promise<StoredStep[]> {
  const types = [...TOOL_STEP_TYPES].filter((type) => isToolCall({ type, name: filter.name }));
  let query = ctx.db
    .selectFrom('steps')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('name', '=', filter.name)
    .where('type', 'in', types);
  if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('started_at', '<=', filter.to);
  if (filter.kind === 'failed') query = query.where('error', 'is not', null);
  query =
    filter.kind === 'slowest'
      ? query.where('duration_ms', 'is not', null).orderBy('duration_ms', 'desc')
      : query.orderBy('started_at', 'desc');
  const rows = await query.limit(filter.limit).execute();
  return rows.map(toStoredStep);
}
