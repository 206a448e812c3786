/**
 * Acceptance: the AI SDK's `DefaultChatTransport` (what `useChat` uses), unmodified, against
 * `POST /agents/:name/runs` of a listening server: messages in, the UI message stream out (read with
 * `readUIMessageStream`), tool approvals answered in the next request, and `reconnectToStream` resuming a
 * run in progress at `GET /agents/:name/runs/:chatId/stream` (the URL the transport builds).
 */
import {
  DefaultChatTransport,
  type DynamicToolUIPart,
  readUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerUser, calculatorAgent, failingAgent, weatherAgent } from '../../test/fixtures.ts';
import { type ListeningServer, listen } from '../../test/listening-server.ts';
import { memorySessions } from '../sessions/session-store.ts';
import { type AgentsRouter, serveAgents } from './agent-routes.ts';

const sessions = memorySessions();
let router: AgentsRouter;
let server: ListeningServer;

beforeAll(async () => {
  router = serveAgents({
    agents: {
      calculator: calculatorAgent(),
      slow: calculatorAgent({ latencyMs: 150 }),
      weather: weatherAgent(),
      failing: failingAgent(),
    },
    sessions,
    getUser: bearerUser,
    tracker: false,
  });
  server = await listen(router);
});

afterAll(async () => {
  await router.close();
  await server.close();
});

function transport(agent: string, token = 'alice-token'): DefaultChatTransport<UIMessage> {
  return new DefaultChatTransport<UIMessage>({
    api: `${server.url}/agents/${agent}/runs`,
    headers: { authorization: `Bearer ${token}` },
  });
}

function userMessage(id: string, text: string): UIMessage {
  return { id, role: 'user', parts: [{ type: 'text', text }] };
}

/** Sends the messages and reads the stream to the last assistant message snapshot. */
async function send(
  agent: string,
  chatId: string,
  messages: UIMessage[],
  options: { token?: string; continuing?: UIMessage } = {},
): Promise<UIMessage> {
  const stream = await transport(agent, options.token).sendMessages({
    chatId,
    messages,
    trigger: 'submit-message',
    messageId: undefined,
    abortSignal: undefined,
  });
  return lastSnapshot(stream, options.continuing);
}

async function lastSnapshot(stream: ReadableStream<UIMessageChunk>, message?: UIMessage): Promise<UIMessage> {
  let last: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream<UIMessage>({
    stream,
    terminateOnError: true,
    ...(message ? { message } : {}),
  })) {
    last = snapshot;
  }
  if (!last) throw new Error('the stream produced no message');
  return last;
}

function textOf(message: UIMessage): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function toolParts(message: UIMessage): DynamicToolUIPart[] {
  return message.parts.filter((part): part is DynamicToolUIPart => part.type === 'dynamic-tool');
}

describe('DefaultChatTransport against POST /agents/:name/runs', () => {
  it('streams the assistant message: a tool part with input and output, then the text', async () => {
    const message = await send('calculator', 'chat-basic', [userMessage('u1', 'what is 2 + 3')]);
    expect(message.role).toBe('assistant');
    expect(message.metadata).toMatchObject({ conversationId: 'chat-basic', agent: 'calculator' });
    const [tool] = toolParts(message);
    expect(tool).toMatchObject({
      type: 'dynamic-tool',
      toolName: 'calculate',
      state: 'output-available',
      input: { expression: '2 + 3' },
      output: '5',
    });
    expect(textOf(message)).toBe('[demo model] The answer is 5.');
    // The tool part comes before the answer, each step marked.
    const kinds = message.parts.map((part) => part.type);
    expect(kinds.indexOf('dynamic-tool')).toBeLessThan(kinds.indexOf('text'));
    expect(kinds.filter((kind) => kind === 'step-start')).toHaveLength(2);
  });

  it('continues the conversation kept by the server under the chat id', async () => {
    const first = await send('calculator', 'chat-two-turns', [userMessage('u1', 'what is 2 + 3')]);
    const second = await send('calculator', 'chat-two-turns', [
      userMessage('u1', 'what is 2 + 3'),
      first,
      userMessage('u2', 'and 10 - 4'),
    ]);
    expect(textOf(second)).toBe('[demo model] The answer is 6.');
    const items = await sessions.session('chat-two-turns', 'alice').getItems();
    const userTexts = items.flatMap((item) =>
      'role' in item && item.role === 'user' ? [JSON.stringify(item.content)] : [],
    );
    expect(userTexts).toEqual(['"what is 2 + 3"', '"and 10 - 4"']);
  });

  it('regenerates an answer: the stored conversation drops the old answer instead of repeating the question', async () => {
    const chatId = 'chat-regenerate';
    const first = userMessage('u1', 'what is 2 + 3');
    const answer = await send('calculator', chatId, [first]);
    const second = userMessage('u2', 'and 10 - 4');
    const replaced = await send('calculator', chatId, [first, answer, second]);
    // useChat's regenerate(): the messages up to the user message, trigger regenerate-message.
    const stream = await transport('calculator').sendMessages({
      chatId,
      messages: [first, answer, second],
      trigger: 'regenerate-message',
      messageId: replaced.id,
      abortSignal: undefined,
    });
    const regenerated = await lastSnapshot(stream);
    expect(regenerated.id).not.toBe(replaced.id);
    expect(textOf(regenerated)).toBe('[demo model] The answer is 6.');
    const items = await sessions.session(chatId, 'alice').getItems();
    const roles = items.flatMap((item) => ('role' in item ? [item.role] : []));
    expect(roles).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(JSON.stringify(items)).toContain('and 10 - 4');
    // Regenerating the first answer drops everything after the first question.
    const again = await transport('calculator').sendMessages({
      chatId,
      messages: [first],
      trigger: 'regenerate-message',
      messageId: answer.id,
      abortSignal: undefined,
    });
    expect(textOf(await lastSnapshot(again))).toBe('[demo model] The answer is 5.');
    const after = await sessions.session(chatId, 'alice').getItems();
    expect(after.filter((item) => 'role' in item && item.role === 'user')).toHaveLength(1);
    expect(JSON.stringify(after)).not.toContain('and 10 - 4');
  });

  it('passes the user from the transport’s headers to the agent', async () => {
    const message = await send('weather', 'chat-weather', [userMessage('u1', 'weather in Rome?')], {
      token: 'bob-token',
    });
    expect(toolParts(message)[0]?.output).toBe('Sunny in Rome (asked by Bob)');
  });

  it('asks for approval, and finishes the same assistant message once the next request approves', async () => {
    const chatId = 'chat-approval';
    const question = userMessage('u1', 'what is 6 * 7');
    const paused = await send('calculator', chatId, [question]);
    const [request] = toolParts(paused);
    expect(request).toMatchObject({ state: 'approval-requested', input: { expression: '6 * 7' } });
    // What useChat's addToolApprovalResponse does to the part before sending the messages again.
    const approvalId = (request as { approval: { id: string } }).approval.id;
    const answered: UIMessage = {
      ...paused,
      parts: paused.parts.map((part) =>
        part === request
          ? ({
              ...request,
              state: 'approval-responded',
              approval: { id: approvalId, approved: true },
            } as DynamicToolUIPart)
          : part,
      ),
    };
    const done = await send('calculator', chatId, [question, answered], { continuing: answered });
    expect(done.id).toBe(paused.id);
    expect(toolParts(done)).toEqual([
      expect.objectContaining({ toolCallId: request?.toolCallId, state: 'output-available', output: '42' }),
    ]);
    expect(textOf(done)).toBe('[demo model] The answer is 42.');
  });

  it('streams a rejection as a denied tool part, with the model told so', async () => {
    const chatId = 'chat-reject';
    const question = userMessage('u1', 'what is 9 * 9');
    const paused = await send('calculator', chatId, [question]);
    const [request] = toolParts(paused);
    const approvalId = (request as { approval: { id: string } }).approval.id;
    const answered: UIMessage = {
      ...paused,
      parts: paused.parts.map((part) =>
        part === request
          ? ({
              ...request,
              state: 'approval-responded',
              approval: { id: approvalId, approved: false, reason: 'no multiplications today' },
            } as DynamicToolUIPart)
          : part,
      ),
    };
    const done = await send('calculator', chatId, [question, answered], { continuing: answered });
    expect(toolParts(done)[0]?.state).toBe('output-denied');
    expect(textOf(done)).toContain('no multiplications today');
  });

  it('rejects with the server’s status and JSON error when the run cannot start', async () => {
    const cases: Array<[string, string, number, RegExp]> = [
      ['failing', 'alice-token', 502, /the model provider failed: upstream said 503/],
      ['calculator', 'wrong-token', 401, /authentication required/],
      ['nobody', 'alice-token', 404, /no agent named "nobody"/],
    ];
    for (const [agent, token, status, message] of cases) {
      const error = await send(agent, `chat-error-${agent}`, [userMessage('u1', 'hi')], { token }).catch(
        (caught: unknown) => caught,
      );
      expect((error as { statusCode?: number }).statusCode, agent).toBe(status);
      // The transport's error message is the response body: our JSON error.
      const body = JSON.parse((error as Error).message) as { error: { message: string } };
      expect(body.error.message, agent).toMatch(message);
    }
  });
});

describe('DefaultChatTransport.reconnectToStream', () => {
  it('resumes a run in progress after the first connection dropped, then finds nothing to resume', async () => {
    const chatId = 'chat-resume';
    const abort = new AbortController();
    const first = await transport('slow').sendMessages({
      chatId,
      messages: [userMessage('u1', 'what is 20 + 22')],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: abort.signal,
    });
    // Read until the run is under way, then drop the connection (a page reload).
    const reader = first.getReader();
    const seen: UIMessageChunk[] = [];
    while (!seen.some((chunk) => chunk.type === 'start-step')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen.push(value);
    }
    abort.abort();
    await reader.cancel().catch(() => undefined);
    expect(seen.map((chunk) => chunk.type)).toEqual(['start', 'start-step']);
    const runId = (seen[0] as { messageId: string }).messageId;

    // The transport reconnects at `${api}/${chatId}/stream`; the server replays the run from its start.
    const resumed = await transport('slow').reconnectToStream({ chatId });
    expect(resumed).not.toBeNull();
    const message = await lastSnapshot(resumed as ReadableStream<UIMessageChunk>);
    expect(message.id).toBe(runId);
    expect(toolParts(message)[0]).toMatchObject({ state: 'output-available', output: '42' });
    expect(textOf(message)).toBe('[demo model] The answer is 42.');

    // The run has finished: nothing left to resume (204 -> null), as useChat expects on a later reload.
    expect(await transport('slow').reconnectToStream({ chatId })).toBeNull();
    // Another user reconnecting to the same chat id gets nothing either.
    expect(await transport('slow', 'bob-token').reconnectToStream({ chatId })).toBeNull();
  });

  it('returns null for a chat that never ran', async () => {
    expect(await transport('calculator').reconnectToStream({ chatId: 'never-ran' })).toBeNull();
  });
});
