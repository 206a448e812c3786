import type { UIMessage } from 'ai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api-error.ts';
import { EMPTY_HISTORY, loadChatHistory } from './chat-history.ts';

function answer(status: number, body: string, type = 'application/json'): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(body, { status, headers: { 'content-type': type } })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('loadChatHistory', () => {
  it('asks the history route with the key and reads messages and the run to resume', async () => {
    const messages: UIMessage[] = [{ id: 'item-0', role: 'user', parts: [{ type: 'text', text: 'hi' }] }];
    answer(
      200,
      JSON.stringify({ messages, hasMore: true, activeRun: { runId: 'r1', lastEventId: 0 }, tracked: true }),
    );
    const history = await loadChatHistory('sl_key', 'calc ulator', 'chat/1');
    expect(history).toEqual({
      messages,
      hasMore: true,
      activeRun: { runId: 'r1', lastEventId: 0 },
      tracked: true,
    });
    const [path, init] = vi.mocked(fetch).mock.calls[0] as [string, RequestInit];
    expect(path).toBe('/agents/calc%20ulator/conversations/chat%2F1/messages');
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer sl_key');
  });

  it('opens a conversation the server does not have as empty', async () => {
    answer(404, JSON.stringify({ error: { code: 'not_found', message: 'no conversation' } }));
    expect(await loadChatHistory('k', 'a', 'c')).toEqual(EMPTY_HISTORY);
  });

  it('throws what the server refused, and a route that is not served', async () => {
    answer(401, JSON.stringify({ error: { code: 'unauthorized', message: 'who are you' } }));
    await expect(loadChatHistory('k', 'a', 'c')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    answer(200, '<!doctype html>', 'text/html');
    await expect(loadChatHistory('k', 'a', 'c')).rejects.toBeInstanceOf(ApiError);
    answer(404, 'Not Found', 'text/plain');
    await expect(loadChatHistory('k', 'a', 'c')).rejects.toMatchObject({ status: 404 });
  });
});
