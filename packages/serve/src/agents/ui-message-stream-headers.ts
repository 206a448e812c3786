/**
 * The response headers of an AI SDK UI message stream (what `useChat` reads), as the `ai` package's
 * `UI_MESSAGE_STREAM_HEADERS` has them. A copy because this is the only value serve takes from `ai`
 * (the rest are types), and loading `ai` at run time for it cost a serving process ~3 MB resident
 * (bench/ingest/README.md, Export); ui-message-stream-headers.test.ts fails when the two differ.
 */
export const UI_MESSAGE_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
};
