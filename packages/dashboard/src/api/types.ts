/** The collector's response shapes, from @sightline/core (types only: nothing of core is bundled). */
export type {
  ConversationDetail,
  ConversationSummary,
  CustomerSummary,
  FeedbackCounts,
  IngestionHealth,
  MetricPoint,
  MetricsResponse,
  ModelMetrics,
  Page,
  StoredFeedback,
  StoredMessage,
  StoredStep,
  StoredUsage,
  ToolMetrics,
} from '@sightline/core';

/** `GET /v1/project`: the project a key belongs to. */
export interface ProjectInfo {
  id: string;
  name: string;
  createdAt: string;
  scope: 'ingest' | 'read' | 'chat' | 'admin';
}

/** An `erased` message of the `/v1/live` feed: a conversation, or a customer and theirs, were erased. */
export interface LiveErasure {
  kind: 'conversation' | 'customer';
  id: string;
  conversationIds: string[];
}

/** One event of the `/v1/live` SSE feed. */
export interface LiveEvent {
  id: string;
  type: 'conversation' | 'message' | 'step' | 'feedback';
  timestamp: string;
  conversationId: string;
  customerId: string | null;
  summary: Record<string, unknown>;
}
