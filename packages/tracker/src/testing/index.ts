/**
 * @sightline/tracker/testing — offline stand-ins for tests and demos: a fake collector
 * (`POST /v1/ingest`, validating with core) and a deterministic fake OpenAI API.
 */
export {
  type CollectedEvent,
  type FakeAnswer,
  FakeCollector,
  type FakeCollectorOptions,
  type FakeRequest,
  startFakeCollector,
  type WireEvent,
} from './fake-collector.ts';
export {
  decide,
  FakeOpenAI,
  type FakeOpenAIRequest,
  type FakeReply,
  startFakeOpenAI,
} from './fake-openai.ts';
