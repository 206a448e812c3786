/**
 * The collector's response shapes: the types inferred from the response schemas of @sightline/core
 * (types only: nothing of core, nor zod, is bundled).
 */
export type {
  ConversationDetail,
  ConversationSummary,
  CustomerSummary,
  FeedbackCounts,
  IngestionHealth,
  LiveErasure,
  LiveEvent,
  MetricPoint,
  MetricsResponse,
  ModelMetrics,
  Page,
  ProjectInfo,
  StoredFeedback,
  StoredMessage,
  StoredStep,
  StoredUsage,
  ToolMetrics,
} from '@sightline/core';
