/** The formats of `GET /v1/exports/conversations`: what each writes per conversation and how it is served. */
import type { ExportedConversation } from '@sightline/store';
import { CSV_HEADER, csvRow } from './csv-rows.ts';
import { ingestLines } from './ingest-lines.ts';
import { openAiChatLines } from './openai-chat.ts';

export const EXPORT_FORMAT_NAMES = ['jsonl', 'csv', 'openai-chat'] as const;
export type ExportFormatName = (typeof EXPORT_FORMAT_NAMES)[number];

export interface ExportFormat {
  contentType: string;
  /** File name extension of the download. */
  extension: string;
  /** Whether it needs messages, steps and feedback (CSV has the list's columns only). */
  withRecords: boolean;
  /** Text before the first conversation. */
  header: string;
  /** The text of one conversation, in pieces (a large conversation's as its parts are read). */
  write(exported: ExportedConversation): AsyncIterable<string>;
}

/** Each format by its `format=` name. */
export const EXPORT_FORMATS: Record<ExportFormatName, ExportFormat> = {
  jsonl: {
    contentType: 'application/x-ndjson; charset=utf-8',
    extension: 'jsonl',
    withRecords: true,
    header: '',
    write: ingestLines,
  },
  csv: {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    withRecords: false,
    header: CSV_HEADER,
    write: async function* (exported) {
      yield csvRow(exported.conversation);
    },
  },
  'openai-chat': {
    contentType: 'application/x-ndjson; charset=utf-8',
    extension: 'openai-chat.jsonl',
    withRecords: true,
    header: '',
    write: openAiChatLines,
  },
};
