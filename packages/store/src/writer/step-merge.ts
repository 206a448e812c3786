/** Merging the start and end events of a step into one stored row. Pure: no I/O. */
import type { ParsedEvent, StepBody } from '@sightline/core';
import type { StepsTable } from '../schema.ts';
import { toJsonText } from './rows.ts';

/** Merges a step event into the stored step (later fields win; nothing is erased). */
export function mergeStep(
  projectId: string,
  previous: StepsTable | undefined,
  event: Extract<ParsedEvent, { type: 'step' }>,
): StepsTable {
  const body: StepBody = event.body;
  const base: StepsTable = previous
    ? { ...previous }
    : {
        project_id: projectId,
        id: body.stepId,
        conversation_id: body.conversationId,
        parent_id: null,
        type: body.type,
        name: body.name,
        started_at: body.startedAt ? Date.parse(body.startedAt) : event.timestamp,
        ended_at: null,
        duration_ms: null,
        input: null,
        output: null,
        error: null,
        tools_used: null,
        metadata: null,
        model: null,
        provider: null,
        input_tokens: null,
        output_tokens: null,
        total_tokens: null,
        cost_usd: null,
        ttft_ms: null,
        finished: 0,
        agent_version: null,
      };
  base.type = body.type;
  base.name = body.name;
  if (body.parentId !== undefined) base.parent_id = body.parentId;
  if (body.startedAt !== undefined) base.started_at = Date.parse(body.startedAt);
  if (body.endedAt !== undefined) base.ended_at = Date.parse(body.endedAt);
  if (body.durationMs !== undefined) base.duration_ms = body.durationMs;
  if (body.input !== undefined) base.input = toJsonText(body.input);
  if (body.output !== undefined) base.output = toJsonText(body.output);
  if (body.error !== undefined) base.error = toJsonText(body.error);
  if (body.toolsUsed !== undefined) base.tools_used = toJsonText(body.toolsUsed);
  if (body.metadata !== undefined)
    base.metadata = toJsonText({ ...(base.metadata ? JSON.parse(base.metadata) : {}), ...body.metadata });
  if (body.usage !== undefined) mergeUsage(base, body.usage);
  // A step keeps the first version it was stamped with, and only one given before it was counted (its
  // version's rollups must take out exactly what they added).
  if (base.agent_version === null && Number(base.finished) === 0 && body.agentVersion !== undefined)
    base.agent_version = body.agentVersion;
  return base;
}

function mergeUsage(step: StepsTable, usage: NonNullable<StepBody['usage']>): void {
  step.model = usage.model;
  if (usage.provider !== undefined) step.provider = usage.provider;
  if (usage.inputTokens !== undefined) step.input_tokens = usage.inputTokens;
  if (usage.outputTokens !== undefined) step.output_tokens = usage.outputTokens;
  step.total_tokens = usage.totalTokens ?? (step.input_tokens ?? 0) + (step.output_tokens ?? 0);
  if (usage.costUsd !== undefined) step.cost_usd = usage.costUsd;
  if (usage.timeToFirstTokenMs !== undefined) step.ttft_ms = usage.timeToFirstTokenMs;
}
