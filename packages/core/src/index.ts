/**
 * @sightline/core — the event model every Sightline package shares.
 */

// Event model
export {
  type ConversationBody,
  type ConversationContext,
  conversationBodySchema,
  conversationContextSchema,
  DEFAULT_ENVIRONMENT,
} from './conversation.ts';
export {
  type ConversationPatch,
  conversationPatchSchema,
  type ErasedRows,
  type ErasureReceipt,
} from './conversation-curation.ts';
// Errors
export {
  ERROR_CODES,
  type ErrorBody,
  type ErrorCode,
  type FieldIssue,
  isSightlineError,
  SightlineError,
  type SightlineErrorOptions,
  ValidationError,
} from './errors.ts';
// Scores and agent versions
export {
  type AgentVersionMetrics,
  type ScoreCategoryCount,
  type ScoreFilter,
  type ScoreMetrics,
  type ScoreSummary,
  scoreFilterIssues,
  scoreFilterQuerySchema,
  type VersionComparison,
  type VersionComparisonFilter,
  type VersionComparisonQuery,
  versionComparisonQuerySchema,
} from './evaluation-query.ts';
// Ids
export { EventIdGenerator } from './event-ids.ts';
export {
  conversationSourceOf,
  FEEDBACK_SOURCES,
  type FeedbackBody,
  type FeedbackSource,
  feedbackBodySchema,
  feedbackSourceOf,
  SENTIMENTS,
  type Sentiment,
} from './feedback.ts';
export { generateConversationId, isUuid, isUuidV7, newId } from './ids.ts';
// Ingest wire format
export {
  type ClientReport,
  clientReportSchema,
  EVENT_TYPES,
  type EventType,
  INGEST_STATUSES,
  type IngestEvent,
  type IngestRequest,
  type IngestResponse,
  type IngestResult,
  type IngestStatus,
  ingestEventSchema,
  ingestRequestSchema,
  type ParsedEvent,
  type ParsedIngestRequest,
  parseIngestEvent,
  parseIngestRequest,
  type RejectedEvent,
  toFieldIssues,
} from './ingest.ts';
// JSON values
export {
  checkJsonValue,
  type JsonCheckOptions,
  jsonValue,
  type Metadata,
  metadataSchema,
} from './json-value.ts';
// Limits
export { LIMITS, type Limits } from './limits.ts';
export {
  type Attachment,
  attachmentSchema,
  MESSAGE_ROLES,
  type MessageBody,
  type MessageRole,
  messageBodySchema,
} from './message.ts';
// Primitives
export {
  environment,
  eventId,
  idString,
  label,
  source,
  timestamp,
  toEpochMs,
  toIso,
} from './primitives.ts';
// Project settings: retention and redaction
export {
  type ProjectSettings,
  type ProjectSettingsInput,
  projectSettingsSchema,
  REDACTION_DETECTORS,
  type RedactionDetector,
  redactionPatternSchema,
} from './project-settings.ts';
// Query API shapes
export {
  type ConversationDetail,
  type ConversationFilter,
  type ConversationListQuery,
  type ConversationSummary,
  type CustomerFilter,
  type CustomerListQuery,
  type CustomerSummary,
  conversationListQuerySchema,
  customerListQuerySchema,
  type FeedbackCounts,
  feedbackSentimentSchema,
  type IngestionHealth,
  METRIC_BUCKETS,
  type MetricBucket,
  type MetricPoint,
  type MetricsFilter,
  type MetricsQuery,
  type MetricsResponse,
  type ModelMetrics,
  metricsQuerySchema,
  type Page,
  type StoredFeedback,
  type StoredMessage,
  type StoredStep,
  type StoredUsage,
  type ToolMetrics,
} from './query.ts';
export {
  type CustomerRetention,
  type CustomerRetentionPatch,
  customerRetentionPatchSchema,
  type ExpiredRows,
  MAX_RETENTION_DAYS,
  noExpiredRows,
  type RetentionRun,
  type RetentionStatus,
  retentionDaysSchema,
} from './retention.ts';
export {
  SCORE_DATA_TYPES,
  SCORE_SOURCES,
  type ScoreBody,
  type ScoreDataType,
  type ScoreInput,
  type ScoreSource,
  type ScoreValue,
  type StoredScore,
  scoreBodySchema,
  scoreDataTypeOf,
  scoreName,
} from './score.ts';
export {
  type BuiltInStepType,
  STEP_TYPES,
  type StepBody,
  type StepError,
  type StepType,
  stepBodySchema,
  stepErrorSchema,
  stepTypeSchema,
  type Usage,
  usageSchema,
} from './step.ts';
// Text both databases can store
export {
  hasUnstorableText,
  REPLACEMENT_CHARACTER,
  toStorableJson,
  toStorableText,
} from './well-formed-text.ts';
