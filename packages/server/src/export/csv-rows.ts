/**
 * The CSV export: one row per conversation with the conversation list's columns (RFC 4180: comma
 * separated, CRLF line ends, a field quoted when it holds a comma, quote or line break). Text a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`:
 * a customer's message must not become a formula in whoever opens the file.
 */
import type { ConversationSummary } from '@sightline/core';

type Column = [name: string, value: (c: ConversationSummary) => string | number | boolean | null];

const COLUMNS: Column[] = [
  ['id', (c) => c.id],
  ['started_at', (c) => c.startedAt],
  ['last_activity_at', (c) => c.lastActivityAt],
  ['ended_at', (c) => c.endedAt],
  ['customer_id', (c) => c.customerId],
  ['name', (c) => c.name],
  ['first_message', (c) => c.firstMessage],
  ['source', (c) => c.source],
  ['environment', (c) => c.environment],
  ['device', (c) => c.device],
  ['language', (c) => c.language],
  ['messages', (c) => c.messageCount],
  ['steps', (c) => c.stepCount],
  ['tool_calls', (c) => c.toolCallCount],
  ['llm_calls', (c) => c.llmCallCount],
  ['errors', (c) => c.errorCount],
  ['input_tokens', (c) => c.inputTokens],
  ['output_tokens', (c) => c.outputTokens],
  ['total_tokens', (c) => c.totalTokens],
  ['cost_usd', (c) => c.costUsd],
  ['duration_ms', (c) => c.durationMs],
  ['feedback_positive', (c) => c.feedback.positive],
  ['feedback_neutral', (c) => c.feedback.neutral],
  ['feedback_negative', (c) => c.feedback.negative],
  ['marked', (c) => c.marked],
  ['tags', (c) => c.tags.join(';')],
  ['metadata', (c) => JSON.stringify(c.metadata)],
];

/** The header row. */
export const CSV_HEADER = `${COLUMNS.map(([name]) => name).join(',')}\r\n`;

/** One conversation as a CSV row. */
export function csvRow(conversation: ConversationSummary): string {
  return `${COLUMNS.map(([, value]) => csvField(value(conversation))).join(',')}\r\n`;
}

/** A field as CSV: numbers as they are, text neutralized against formulas and quoted when needed. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
