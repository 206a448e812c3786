/**
 * The download link of an export (`GET /v1/exports/conversations`) of the conversation list as filtered
 * now: every matching conversation, not only the page on screen. A link cannot send a header, so the
 * key rides in the query (`access_token`), as it does for the live feed's EventSource.
 */
import { withQuery } from '../api/client.ts';
import { type ConversationFilters, filtersToApiParams } from './conversation-query.ts';

export const EXPORT_FORMATS = [
  { value: 'csv', label: 'CSV' },
  { value: 'jsonl', label: 'JSONL (re-ingestable)' },
  { value: 'openai-chat', label: 'OpenAI chat JSONL' },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]['value'];

/** The export URL of the filters at `now` (a preset range is relative to the moment it is read). */
export function exportHref(
  filters: ConversationFilters,
  format: ExportFormat,
  key: string,
  now: number,
): string {
  const { cursor: _cursor, limit: _limit, ...params } = filtersToApiParams(filters, now);
  return withQuery('/v1/exports/conversations', { ...params, format, access_token: key });
}
