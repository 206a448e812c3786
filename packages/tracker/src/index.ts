/**
 * @sightline/tracker — record conversations in-process at near-zero cost; a background exporter
 * sends them to the Sightline collector.
 */

// Ids (re-exported from @sightline/core)
export { generateConversationId } from '@sightline/core';
// Conversations and steps
export type { ConversationHandle } from './conversation-handle.ts';
// Configuration
export {
  type Connection,
  type CredentialsFile,
  DEFAULT_ENDPOINT,
  findCredentialsFile,
  resolveConnection,
} from './credentials.ts';
// The ready-made tracker
export { tracker } from './default-tracker.ts';
export type { ErrorHandler } from './error-reporter.ts';
// Errors
export { TrackerError } from './errors.ts';
export type { BeforeSend, TruncationMarker } from './event-encoder.ts';
// Trackers
export { createTracker, SightlineTracker, TRACKER_VERSION, type Tracker } from './tracker.ts';
export type { TrackerOptions } from './tracker-options.ts';
// Exporter outcomes and counters
export type { DropReason, FailedEvent, FlushSummary, TrackerStats } from './tracker-stats.ts';
export type {
  ActionOptions,
  ConversationOptions,
  FeedbackOptions,
  GenerationOptions,
  MessageOptions,
  ScoreOptions,
  StepEndResult,
  StepHandle,
  StepOptions,
} from './tracking-options.ts';
