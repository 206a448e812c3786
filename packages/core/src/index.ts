/**
 * @sightline/core — the event model every Sightline package shares.
 */

// API response schemas: each declared once with zod (its `.meta({ id })` names it in the OpenAPI
// document); the types are inferred from them. See README "Response schemas".
export {
  type AgentVersionMetrics,
  agentVersionMetricsSchema,
  type VersionComparison,
  versionComparisonSchema,
} from './agent-version-schemas.ts';
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
  erasedRowsSchema,
  erasureReceiptSchema,
} from './conversation-curation.ts';
export {
  type ConversationDetail,
  type ConversationSummary,
  conversationDetailSchema,
  conversationPageSchema,
  conversationSummarySchema,
  conversationTotalsSchema,
  type FeedbackCounts,
  feedbackCountsSchema,
  type Page,
  pageSchema,
} from './conversation-schemas.ts';
export { type CustomerSummary, customerPageSchema, customerSummarySchema } from './customer-schemas.ts';
// Datasets and experiments
export {
  type ComparisonItem,
  type ComparisonSide,
  type ComparisonSummary,
  comparisonItemSchema,
  comparisonSideSchema,
  comparisonSummarySchema,
  DATASET_SKIP_REASONS,
  type Dataset,
  type DatasetCreate,
  type DatasetDeleted,
  type DatasetDetail,
  type DatasetItem,
  type DatasetItemsAdd,
  type DatasetItemsAdded,
  type DatasetList,
  type DatasetSkipReason,
  type DatasetTurn,
  datasetCreateSchema,
  datasetDeletedSchema,
  datasetDetailSchema,
  datasetItemSchema,
  datasetItemsAddedSchema,
  datasetItemsAddSchema,
  datasetListSchema,
  datasetSchema,
  datasetTurnSchema,
  type Experiment,
  type ExperimentComparison,
  type ExperimentCreate,
  type ExperimentDetail,
  type ExperimentItem,
  type ExperimentItemPut,
  experimentComparisonSchema,
  experimentCreateSchema,
  experimentDetailSchema,
  experimentItemPutSchema,
  experimentItemSchema,
  experimentSchema,
  MAX_DATASET_DESCRIPTION_LENGTH,
  MAX_DATASET_ITEMS_PER_ADD,
  MAX_DATASET_NAME_LENGTH,
  MAX_EXPERIMENT_STATUS_LENGTH,
} from './dataset-schemas.ts';
export { turnsOf } from './dataset-turns.ts';
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
  type ScoreFilter,
  scoreFilterIssues,
  scoreFilterQuerySchema,
  type VersionComparisonFilter,
  type VersionComparisonQuery,
  versionComparisonQuerySchema,
} from './evaluation-query.ts';
// Evaluators (the contract; model judges are in @sightline/agents, the runner in @sightline/server)
export {
  type CodeEvaluatorOptions,
  codeEvaluator,
  type EvaluationContext,
  type EvaluationVerdict,
  type Evaluator,
  type JudgeRun,
} from './evaluator.ts';
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
  type IngestEvent,
  type IngestRequest,
  ingestEventSchema,
  ingestRequestSchema,
  type ParsedEvent,
  type ParsedIngestRequest,
  parseIngestEvent,
  parseIngestRequest,
  type RejectedEvent,
  toFieldIssues,
} from './ingest.ts';
export {
  INGEST_STATUSES,
  type IngestResponse,
  type IngestResult,
  type IngestStatus,
  ingestResponseSchema,
  ingestResultSchema,
} from './ingest-response.ts';
export { type IngestionHealth, ingestionHealthSchema } from './ingestion-health-schema.ts';
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
export { type LiveErasure, type LiveEvent, liveErasureSchema, liveEventSchema } from './live-event.ts';
export {
  type Attachment,
  attachmentSchema,
  MESSAGE_ROLES,
  type MessageBody,
  type MessageRole,
  messageBodySchema,
} from './message.ts';
export {
  type MetricPoint,
  type MetricsResponse,
  type ModelMetrics,
  metricPointSchema,
  metricsResponseSchema,
  modelMetricsSchema,
  type ToolMetrics,
  toolMetricsSchema,
} from './metrics-schemas.ts';
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
export { API_KEY_SCOPES, type ApiKeyScope, type ProjectInfo, projectInfoSchema } from './project-info.ts';
// Project settings: retention and redaction
export {
  type ProjectSettings,
  type ProjectSettingsInput,
  projectSettingsSchema,
  REDACTION_DETECTORS,
  type RedactionDetector,
  redactionPatternSchema,
} from './project-settings.ts';
// Query API parameters
export {
  type ConversationFilter,
  type ConversationListQuery,
  type CustomerFilter,
  type CustomerListQuery,
  conversationListQuerySchema,
  customerListQuerySchema,
  feedbackSentimentSchema,
  METRIC_BUCKETS,
  type MetricBucket,
  type MetricsFilter,
  type MetricsQuery,
  metricsQuerySchema,
} from './query.ts';
export {
  type CustomerRetention,
  type CustomerRetentionPatch,
  customerRetentionPatchSchema,
  customerRetentionSchema,
  type ExpiredRows,
  MAX_RETENTION_DAYS,
  noExpiredRows,
  type RetentionRun,
  type RetentionStatus,
  retentionDaysSchema,
  retentionRunSchema,
  retentionStatusSchema,
} from './retention.ts';
export { REVIEW_DONE_VALUE, REVIEW_SCORE_ID, REVIEW_SCORE_NAME } from './review-queue.ts';
export {
  SCORE_DATA_TYPES,
  SCORE_SOURCES,
  type ScoreBody,
  type ScoreDataType,
  type ScoreInput,
  type ScoreSource,
  type ScoreValue,
  scoreBodySchema,
  scoreDataTypeOf,
  scoreName,
} from './score.ts';
export {
  type ScoreCategoryCount,
  type ScoreMetrics,
  type ScoreReceipt,
  type ScoreSummary,
  type StoredScore,
  scoreCategoryCountSchema,
  scoreMetricsSchema,
  scoreReceiptSchema,
  scoreSummarySchema,
  storedScoreSchema,
} from './score-schemas.ts';
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
export {
  type StoredFeedback,
  type StoredMessage,
  type StoredStep,
  type StoredUsage,
  storedFeedbackSchema,
  storedMessageSchema,
  storedMetadataSchema,
  storedStepSchema,
  storedUsageSchema,
} from './transcript-schemas.ts';
// Text both databases can store
export {
  hasUnstorableText,
  REPLACEMENT_CHARACTER,
  toStorableJson,
  toStorableText,
} from './well-formed-text.ts';
