/**
 * Limits are part of the event model: the server rejects anything over them with a 4xx naming the
 * field, and the tracker truncates or drops (counted) before sending.
 */
export const LIMITS = {
  /** Longest id of a conversation, customer, step or message (characters). */
  maxIdLength: 256,
  /** Longest name, source, device, language, environment, model or provider (characters). */
  maxNameLength: 512,
  /** Longest message content (characters). */
  maxContentLength: 100_000,
  /** Largest step input or output, as serialized JSON length (characters). */
  maxPayloadSize: 256 * 1024,
  /** Largest metadata object, as serialized JSON length (characters). */
  maxMetadataSize: 16 * 1024,
  /** Deepest nesting of a metadata, input or output value. */
  maxDepth: 10,
  /** Most tags on a conversation. */
  maxTags: 50,
  /** Most attachments on a message. */
  maxAttachments: 20,
  /**
   * Most tokens in one usage field (input, output, total) of a step. Stores add tokens up per
   * conversation, hour, model and customer in 64-bit integers; this bound keeps those sums from
   * overflowing.
   */
  maxTokens: 1_000_000_000,
  /** Largest cost of one step (USD). Stores add costs up in doubles; this keeps those sums finite. */
  maxCostUsd: 1_000_000,
  /** Longest error message or stack (characters). */
  maxErrorLength: 16_000,
  /** Most events in one ingest request. */
  maxBatchEvents: 1_000,
  /** Largest ingest request body (bytes). */
  maxBatchBytes: 5 * 1024 * 1024,
  /** Longest score name (characters): names group scores in metrics, like tool names. */
  maxScoreNameLength: 200,
  /** Longest category of a categorical score (characters). */
  maxScoreCategoryLength: 200,
  /** Largest magnitude of a numeric score, so the stores' sums of them stay exact enough. */
  maxScoreMagnitude: 1_000_000_000_000,
  /** Longest comment on feedback or a score (characters). */
  maxCommentLength: 10_000,
} as const;

export type Limits = typeof LIMITS;
