/**
 * @sightline/store — where Sightline keeps conversations: embedded SQLite by default, PostgreSQL
 * for production, one schema and one behaviour (the same test suite runs against both).
 */

export type { DialectName } from './dialect.ts';
export { type PostgresOptions, postgresTypes } from './dialects/postgres.ts';
export type { SqliteOptions } from './dialects/sqlite.ts';
// Errors
export { StoreError } from './errors.ts';
// Projects and keys
export { type ApiKey, hashKey, KEY_SCOPES, type KeyScope, type Project } from './keys.ts';
// Pricing
export { DEFAULT_PRICES, type ModelPrice, PriceTable } from './pricing.ts';
// Reads
export type {
  ConversationExportOptions,
  ConversationRecords,
  ExportedConversation,
  ExportedFeedback,
  ExportFilter,
} from './readers/conversation-export.ts';
export { KEPT_REJECTIONS, type RejectionRecord } from './readers/ingestion-health.ts';
export type { ToolCallFilter } from './readers/tool-calls.ts';
// Retention
export { MAX_CUSTOMER_OVERRIDES } from './retention/customer-retention.ts';
export { MAX_EXPIRY_BATCH } from './retention/expire-batch.ts';
export type { ExpiryOptions, ExpiryOutcome } from './retention/expiry-run.ts';
// Opening a store
export { createStore, DEFAULT_DATABASE, openStore, type Store, type StoreOptions } from './store.ts';
// Writes
export type { AppendOutcome } from './writer/append.ts';
export { isToolCall, TOOL_STEP_TYPES } from './writer/batch-plan.ts';
export type { ErasureOutcome } from './writer/conversation-erasure.ts';
export type { ConversationMerge, MergeOutcome } from './writer/conversation-merge.ts';
export type { DatasetRowsErased } from './writer/dataset-erasure.ts';
export type { MovedRows } from './writer/merge-rows.ts';
