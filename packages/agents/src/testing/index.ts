/**
 * @sightline/agents/testing — the session and session store conformance suites and fixtures, for testing
 * your own session implementations the way ours are tested.
 */
export { describeSessionConformance, type SessionConformanceOptions, type TestApi } from './conformance.ts';
export { ancestry, type CollectedConversation, FakeCollector } from './fake-collector.ts';
export {
  createRecordingTracker,
  type RecordedConversation,
  type RecordedMessage,
  type RecordedStep,
  type RecordingTracker,
} from './recording-tracker.ts';
export {
  describeRunStoreConformance,
  type RunStoreConformanceOptions,
  servedRun,
} from './run-store-conformance.ts';
export {
  checkCalculatorTurns,
  EVERY_KIND_EXPECTED_TYPES,
  runCalculatorTurn,
  runEveryKindScenario,
  runTurnAbortedInTool,
} from './sdk-scenarios.ts';
export { assistantMessage, sessionItemsOfEveryKind, userMessage } from './session-items.ts';
export {
  describeSessionStoreConformance,
  pausedRun,
  type SessionStoreConformanceOptions,
} from './session-store-conformance.ts';
