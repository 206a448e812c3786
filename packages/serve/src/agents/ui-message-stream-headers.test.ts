import { UI_MESSAGE_STREAM_HEADERS as fromAi } from 'ai';
import { expect, test } from 'vitest';
import { UI_MESSAGE_STREAM_HEADERS } from './ui-message-stream-headers.ts';

test("the served streams' headers are the AI SDK's, so useChat reads them as its own", () => {
  expect(UI_MESSAGE_STREAM_HEADERS).toEqual(fromAi);
});
