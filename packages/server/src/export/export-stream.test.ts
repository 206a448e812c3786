/**
 * The export stream on its own: it keeps no chunk once the client has it (for 1M conversations memory
 * must not grow with what was sent), it lets other work run while it streams to a fast client, and the
 * shutdown signal cuts it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ConversationSummary } from '@sightline/core';
import type { ExportedConversation } from '@sightline/store';
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from './export-formats.ts';
import { exportStream } from './export-stream.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** `count` conversations with one short message each. */
async function* conversations(count: number): AsyncGenerator<ExportedConversation> {
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString();
    const conversation = {
      id: `c${i}`,
      customerId: null,
      source: null,
      name: null,
      device: null,
      language: null,
      environment: 'production',
      metadata: {},
      tags: [],
      startedAt: at,
      lastActivityAt: at,
      endedAt: null,
    } as unknown as ConversationSummary;
    const message = {
      id: `m${i}`,
      conversationId: `c${i}`,
      role: 'human' as const,
      content: 'x'.repeat(200),
      metadata: {},
      attachments: [],
      timestamp: at,
    };
    yield {
      conversation,
      records: (async function* () {
        yield { messages: [message], steps: [], feedback: [] };
      })(),
    };
  }
}

describe('export stream', () => {
  it('keeps no chunk after the client read it, while the export runs', async () => {
    const shutdown = new AbortController();
    const body = exportStream({
      conversations: conversations(3_000),
      format: EXPORT_FORMATS.jsonl,
      maxDurationMs: 60_000,
      signal: shutdown.signal,
      chunkBytes: 4_096,
    });
    const reader = body.getReader();
    const sent: Array<WeakRef<Uint8Array>> = [];
    while (sent.length < 150) {
      const { done, value } = await reader.read();
      if (done) throw new Error('the export ended early');
      sent.push(new WeakRef(value));
    }
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(sent.filter((ref) => ref.deref() !== undefined).length).toBeLessThan(3);
    await reader.cancel();
  });

  it('lets timers and I/O run while it streams to a client that reads at once', async () => {
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 1);
    const body = exportStream({
      conversations: conversations(5_000),
      format: EXPORT_FORMATS.jsonl,
      maxDurationMs: 60_000,
      chunkBytes: 4_096,
    });
    const started = performance.now();
    await new Response(body).arrayBuffer();
    clearInterval(timer);
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThan(20);
    expect(ticks).toBeGreaterThan(2);
  });

  it('is cut by the shutdown signal: the transfer fails and the outcome says why', async () => {
    const shutdown = new AbortController();
    const ends: string[] = [];
    const body = exportStream({
      conversations: conversations(5_000),
      format: EXPORT_FORMATS.jsonl,
      maxDurationMs: 60_000,
      signal: shutdown.signal,
      chunkBytes: 1_024,
      onEnd: ({ outcome }) => ends.push(outcome),
    });
    const reader = body.getReader();
    expect((await reader.read()).done).toBe(false);
    shutdown.abort();
    await expect(reader.read()).rejects.toThrow('the server is shutting down');
    expect(ends).toEqual(['closing']);
  });
});
