/**
 * The collector's response shapes: the types inferred from the response schemas of @sightline/core
 * (types only: nothing of core, nor zod, is bundled).
 */
export type {
  ComparisonItem,
  ComparisonSide,
  ComparisonSummary,
  ConversationDetail,
  ConversationSummary,
  CustomerSummary,
  Dataset,
  DatasetDetail,
  DatasetItem,
  Experiment,
  ExperimentComparison,
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
