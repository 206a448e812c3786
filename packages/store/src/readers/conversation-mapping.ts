/** Maps stored rows to the API shapes of @sightline/core. */
import type {
  ConversationSummary,
  StoredFeedback,
  StoredMessage,
  StoredScore,
  StoredStep,
} from '@sightline/core';
import type { ConversationRow, FeedbackTable, MessagesTable, ScoresTable, StepsTable } from '../schema.ts';

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
const isoOrNull = (ms: number | string | null) => (ms === null ? null : iso(ms));
const num = (value: number | string | null) => (value === null ? 0 : Number(value));
const parse = <T>(text: string | null, fallback: T): T =>
  text === null ? fallback : (JSON.parse(text) as T);

/** A conversations row as the list and detail APIs show it. */
export function toConversationSummary(row: ConversationRow): ConversationSummary {
  const inputTokens = num(row.input_tokens);
  const outputTokens = num(row.output_tokens);
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.custom_name ?? row.name,
    marked: Number(row.marked) === 1,
    source: row.source,
    device: row.device,
    language: row.language,
    environment: row.environment,
    metadata: parse(row.metadata, {}),
    tags: parse(row.tags, []),
    startedAt: iso(row.started_at),
    lastActivityAt: iso(row.last_activity_at),
    endedAt: isoOrNull(row.ended_at),
    firstMessage: row.first_message,
    messageCount: num(row.message_count),
    stepCount: num(row.step_count),
    toolCallCount: num(row.tool_call_count),
    llmCallCount: num(row.llm_call_count),
    errorCount: num(row.error_count),
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    costUsd: num(row.cost_usd),
    durationMs: Math.max(0, Number(row.ended_at ?? row.last_activity_at) - Number(row.started_at)),
    feedback: {
      positive: num(row.fb_positive),
      neutral: num(row.fb_neutral),
      negative: num(row.fb_negative),
    },
    agentVersion: row.agent_version ?? null,
  };
}

export function toStoredMessage(row: MessagesTable): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    content: row.content,
    metadata: parse(row.metadata, {}),
    attachments: parse(row.attachments, []),
    timestamp: iso(row.timestamp),
  };
}

export function toStoredStep(row: StepsTable): StoredStep {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    parentId: row.parent_id,
    type: row.type,
    name: row.name,
    startedAt: iso(row.started_at),
    endedAt: isoOrNull(row.ended_at),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    input: parse(row.input, null),
    output: parse(row.output, null),
    error: parse(row.error, null),
    toolsUsed: parse(row.tools_used, []),
    usage:
      row.model === null
        ? null
        : {
            model: row.model,
            provider: row.provider,
            inputTokens: num(row.input_tokens),
            outputTokens: num(row.output_tokens),
            totalTokens: num(row.total_tokens),
            costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
            timeToFirstTokenMs: row.ttft_ms === null ? null : Number(row.ttft_ms),
          },
    metadata: parse(row.metadata, {}),
    agentVersion: row.agent_version ?? null,
  };
}

export function toStoredFeedback(row: FeedbackTable): StoredFeedback {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    sentiment: row.sentiment,
    score: row.score_name === null ? null : { name: row.score_name, value: Number(row.score_value) },
    comment: row.comment,
    source: row.source,
    timestamp: iso(row.timestamp),
  };
}

/** A scores row as the API shows it: the value in its own type (booleans from 1/0). */
export function toStoredScore(row: ScoresTable): StoredScore {
  const value =
    row.data_type === 'categorical'
      ? (row.value_text ?? '')
      : row.data_type === 'boolean'
        ? Number(row.value_num) === 1
        : Number(row.value_num);
  return {
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    stepId: row.step_id,
    name: row.name,
    dataType: row.data_type,
    value,
    source: row.source,
    comment: row.comment,
    metadata: parse(row.metadata, {}),
    judgeRunId: row.judge_run_id,
    agentVersion: row.agent_version,
    timestamp: iso(row.timestamp),
  };
}
