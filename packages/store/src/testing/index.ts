/**
 * @sightline/store/testing — the dialect conformance suite and event builders, for our own tests
 * and for anyone adding a dialect.
 */
export {
  buildScaleProjects,
  describeCustomerErasureAtScale,
  SCALE_MARKER,
  type ScaleSetup,
} from './customer-erasure-at-scale.ts';
export { type QueryRows, rowsLeft } from './erasure-checks.ts';
export {
  conversationEvent,
  type EventContext,
  feedbackEvent,
  messageEvent,
  parseEvents,
  scoreEvent,
  stepEvent,
} from './events.ts';
export { createTestPostgresStore, testDatabaseUrl } from './postgres-fixture.ts';
export { openRawPostgresStore, openRawSqliteStore, type RawStore } from './raw-store.ts';
export { describeStoreSuite, type StoreFactory } from './store-suite.ts';
