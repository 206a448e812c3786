/**
 * A served run tells its chat which tracked message its answer is: the UI message stream's `finish`
 * chunk carries `trackedMessageId` in its message metadata (the AI SDK merges it into the assistant
 * message beside the `start` chunk's run and conversation ids), and the REAL collector holds the run's
 * agent message under exactly that id, so a thumb sent for it scores that message.
 */
import { instrumentAgents, uninstrumentAgents } from '@sightline/agents';
import type { ConversationDetail } from '@sightline/core';
import { readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealCollector, startRealCollector } from '../../test/real-collector.ts';
import { chatAgent, headerUser } from '../../test/tracked-runs.ts';
import { type AgentsRouter, serveAgents } from './agent-routes.ts';
import type { RunMessageMetadata } from './ui-message-chunks.ts';

let collector: RealCollector;
let agents: AgentsRouter;
let untracked: AgentsRouter;

beforeAll(async () => {
  collector = await startRealCollector();
  instrumentAgents(collector.tracker);
  agents = serveAgents({ agents: [chatAgent()], getUser: headerUser, tracker: collector.tracker });
  untracked = serveAgents({ agents: [chatAgent()], getUser: headerUser });
});
afterAll(async () => {
  await Promise.all([agents.close(), untracked.close()]);
  await uninstrumentAgents();
  await collector.close();
});

/** Streams one run and rebuilds its assistant message as `useChat` does. */
async function streamedAnswer(app: AgentsRouter, conversationId: string, input: string): Promise<UIMessage> {
  const response = await app.request('/agents/chat/runs', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-user': 'ann' },
    body: JSON.stringify({ input, conversationId }),
  });
  expect(response.status).toBe(200);
  const chunks = (await response.text())
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice('data: '.length)) as UIMessageChunk);
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream })) last = message;
  if (!last) throw new Error('no message streamed');
  return last;
}

describe('the tracked id of a served answer', () => {
  it('is in the finish metadata and is the id the collector holds the answer under', async () => {
    const first = await streamedAnswer(agents, 'thumbs-chat', 'hello');
    const second = await streamedAnswer(agents, 'thumbs-chat', 'and again');
    const metadata = [first, second].map((message) => message.metadata as RunMessageMetadata);
    expect(metadata[0]?.trackedConversationId).toBe('ann:thumbs-chat');
    expect(metadata[0]?.runId).toBe(first.id);
    const ids = metadata.map((meta) => meta.trackedMessageId);
    expect(ids[0]).toEqual(expect.any(String));
    expect(ids[1]).toEqual(expect.any(String));
    expect(ids[0]).not.toBe(ids[1]);

    await collector.tracker.flush();
    await expect.poll(async () => (await collector.conversation('ann:thumbs-chat'))?.messages.length).toBe(4);
    const detail = (await collector.conversation('ann:thumbs-chat')) as ConversationDetail;
    const answers = detail.messages.filter((message) => message.role === 'agent');
    expect(answers.map((message) => message.id)).toEqual(ids);
    const text = (message: UIMessage) =>
      message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
    expect(answers.map((message) => message.content)).toEqual([text(first), text(second)]);
  });

  it('is not announced without a tracker', async () => {
    const message = await streamedAnswer(untracked, 'untracked-chat', 'hello');
    expect(message.metadata).toMatchObject({
      runId: message.id,
      trackedConversationId: 'ann:untracked-chat',
    });
    expect(message.metadata).not.toHaveProperty('trackedMessageId');
  });
});
