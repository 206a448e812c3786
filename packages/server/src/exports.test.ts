/**
 * `GET /v1/exports/conversations`: the CSV and OpenAI chat shapes, the list's filters, who may export,
 * and the streaming: a client that stops reading holds the reads back, one that goes away ends them,
 * and an export past its time limit is cut.
 */
import type { ConversationSummary } from '@sightline/core';
import type { ExportedConversation, Store } from '@sightline/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSightlineApp } from './app.ts';
import { exportCorpus, plainConversations } from './export/test-corpus.ts';
import { createLogger } from './logger.ts';
import { listen } from './server.ts';
import { createFixture, type Fixture } from './test-fixture.ts';

let f: Fixture;

const post = (fixture: Fixture, events: unknown[]) =>
  fixture.request('/v1/ingest', {
    method: 'POST',
    key: fixture.ingestKey,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });

beforeAll(async () => {
  f = await createFixture();
  for (const events of exportCorpus()) expect((await post(f, events)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await f.close();
});

const exported = async (query: string, key = f.readKey) => {
  const res = await f.request(`/v1/exports/conversations?${query}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return res;
};

/** Every id the list API gives for a query. */
async function listed(query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  do {
    const res = await f.request(`/v1/conversations?limit=200&${query}${cursor ? `&cursor=${cursor}` : ''}`, {
      key: f.readKey,
    });
    const page = (await res.json()) as { data: ConversationSummary[]; nextCursor: string | null };
    ids.push(...page.data.map((c) => c.id));
    cursor = page.nextCursor ?? '';
  } while (cursor);
  return ids.sort();
}

/** Parses RFC 4180 CSV (quoted fields with doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  return rows;
}

describe('export formats', () => {
  it('CSV: a header and one row per conversation with the list columns, quoted, formulas neutralized', async () => {
    const res = await exported('format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/filename="conversations-[\d-]+\.csv"$/);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header?.slice(0, 7)).toEqual([
      'id',
      'started_at',
      'last_activity_at',
      'ended_at',
      'customer_id',
      'name',
      'first_message',
    ]);
    expect(rows).toHaveLength(36);
    const byId = new Map(rows.map((r) => [r[0], Object.fromEntries(header?.map((h, i) => [h, r[i]]) ?? [])]));
    const rich = byId.get('rt-rich');
    const detail = await (await f.request('/v1/conversations/rt-rich', { key: f.readKey })).json();
    expect(rich).toMatchObject({
      name: 'Weather, "quoted", and, commas',
      first_message: 'Quel temps fait-il à Paris ? 😀\nLine two, "quoted"',
      customer_id: 'cust-a',
      environment: 'staging',
      tool_calls: String(detail.conversation.toolCallCount),
      errors: '1',
      cost_usd: String(detail.conversation.costUsd),
      marked: 'false',
      tags: 'vip;eu',
      metadata: JSON.stringify(detail.conversation.metadata),
    });
    expect(byId.get('rt-early-step')?.first_message).toBe("'=SUM(A1:A9)");
    expect(byId.get('rt-no-agent')?.customer_id).toBe('');
  });

  it('openai-chat: user/assistant/system roles, tool calls with their results, blocked answers weighted 0', async () => {
    const text = await (await exported('format=openai-chat')).text();
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    // Every conversation but the two without an agent message (rt-no-agent, rt-big-metadata).
    expect(lines).toHaveLength(34);
    for (const line of lines)
      expect(line.messages.some((m: { role: string }) => m.role === 'assistant')).toBe(true);
    const rich = lines.find((l) => l.messages[0].content.startsWith('Quel temps'));
    expect(rich.messages.map((m: { role: string }) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'tool',
      'assistant',
      'assistant',
      'tool',
    ]);
    expect(rich.messages[1].tool_calls.map((c: { function: unknown }) => c.function)).toEqual([
      { name: 'get_weather', arguments: '{"city":"Paris"}' },
      { name: 'get_forecast', arguments: '"Paris"' },
    ]);
    expect(rich.messages[2]).toEqual({
      role: 'tool',
      tool_call_id: rich.messages[1].tool_calls[0].id,
      content: '{"tempC":21,"sky":"sunny"}',
    });
    expect(rich.messages[3].content).toBe('Error: upstream timeout');
    expect(rich.messages[4]).toEqual({ role: 'assistant', content: 'Il fait 21 °C et beau.' });
    // The e-mail action that ended ten minutes later follows the answer, with its string output.
    expect(rich.messages[5].tool_calls[0].function.name).toBe('send_email');
    expect(rich.messages[6].content).toBe('sent');
    expect(rich.tools).toEqual([
      { type: 'function', function: { name: 'get_weather' } },
      { type: 'function', function: { name: 'get_forecast' } },
      { type: 'function', function: { name: 'send_email' } },
    ]);
    const blocked = lines.find((l) => l.messages[0].role === 'system');
    expect(blocked).toEqual({
      messages: [
        { role: 'system', content: 'You are a notes assistant.' },
        { role: 'user', content: 'Delete all my notes' },
        { role: 'assistant', content: 'Deleted.', weight: 0 },
      ],
    });
  });

  it('honours every list filter, in each format, and stops at limit', async () => {
    const t = new Date(Date.now() - 2 * 86_400_000 + 5.5 * 3_600_000).toISOString();
    for (const query of [
      'customerId=cust-1',
      'source=api&hasError=true',
      'hasError=false',
      'environment=staging',
      'feedback=negative',
      'search=refund',
      'metadata=plan=pro&metadata=flag=true',
      `from=${encodeURIComponent(t)}`,
    ]) {
      const expected = await listed(query);
      expect(expected.length, query).toBeGreaterThan(0);
      const csv = parseCsv(await (await exported(`format=csv&${query}`)).text()).slice(1);
      expect(
        csv.map((r) => r[0]),
        query,
      ).toEqual(expected);
      const jsonl = (await (await exported(`format=jsonl&${query}`)).text()).trimEnd().split('\n');
      const ids = [...new Set(jsonl.map((line) => JSON.parse(line).events[0].body.conversationId as string))];
      expect(ids, query).toEqual(expected);
    }
    const limited = parseCsv(await (await exported('format=csv&limit=3')).text());
    expect(limited).toHaveLength(4);
  });

  it('refuses bad parameters with 400 naming them; read and admin keys export, ingest and chat keys get 403', async () => {
    const bad = await f.request('/v1/exports/conversations?format=xml&hasError=maybe', { key: f.readKey });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.map(
      (i) => i.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['format', 'hasError']));
    expect(
      (
        await f.request('/v1/exports/conversations?from=2026-02-02T00:00:00Z&to=2026-01-01T00:00:00Z', {
          key: f.readKey,
        })
      ).status,
    ).toBe(400);
    for (const key of [f.readKey, f.adminKey])
      expect((await exported('format=csv&limit=1', key)).status).toBe(200);
    for (const key of [f.ingestKey, f.chatKey]) {
      const res = await f.request('/v1/exports/conversations', { key });
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toContain('needs a read or admin key');
    }
    expect((await f.request('/v1/exports/conversations')).status).toBe(401);
    // A browser download link carries the key in the query, as the live feed's EventSource does.
    const link = await f.request(`/v1/exports/conversations?format=csv&limit=1&access_token=${f.readKey}`);
    expect(link.status).toBe(200);
    const other = parseCsv(await (await exported('format=csv', f.otherReadKey)).text());
    expect(other).toHaveLength(1);
  });
});

/** A store whose exports count the conversations they read and say when their reads ended. */
function observed(store: Store) {
  const state = { read: 0, ended: false };
  const wrapped: Store = Object.create(store);
  wrapped.exportConversations = (projectId, filter, options) =>
    (async function* (): AsyncGenerator<ExportedConversation> {
      try {
        for await (const exportedOne of store.exportConversations(projectId, filter, {
          ...options,
          pageSize: 20,
        })) {
          state.read += 1;
          yield exportedOne;
        }
      } finally {
        state.ended = true;
      }
    })();
  return { store: wrapped, state };
}

const until = async (test: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('export streaming', () => {
  it('reads only as fast as the client takes the bytes, and stops reading when the client goes away', async () => {
    const g = await createFixture();
    const events = plainConversations(4_000, Date.now() - 4 * 86_400_000);
    for (let i = 0; i < events.length; i += 1_000)
      expect((await post(g, events.slice(i, i + 1_000))).status).toBe(200);
    const { store, state } = observed(g.store);
    const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
    const server = await listen({ collector, port: 0 });
    try {
      const controller = new AbortController();
      const res = await fetch(`${server.url}/v1/exports/conversations?format=jsonl`, {
        headers: { authorization: `Bearer ${g.readKey}` },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body?.getReader();
      expect((await reader?.read())?.done).toBe(false);
      // Not reading: the socket's buffers fill and the export waits (4,000 conversations are ~5 MB).
      let whileWaiting = -1;
      for (let tries = 0; whileWaiting !== state.read; tries++) {
        if (tries > 50) throw new Error(`the export never waited: ${state.read} conversations read`);
        whileWaiting = state.read;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(state.read).toBe(whileWaiting);
      expect(state.read).toBeLessThan(4_000);
      controller.abort();
      await until(() => state.ended);
      expect(state.read).toBe(whileWaiting);
    } finally {
      await server.close();
      await g.close();
    }
  }, 60_000);

  it('cuts an export past its time limit: the transfer fails instead of ending early', async () => {
    const { store } = observed(f.store);
    const slow: Store = Object.create(store);
    slow.exportConversations = (projectId, filter, options) =>
      (async function* () {
        for await (const one of store.exportConversations(projectId, filter, options)) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          yield one;
        }
      })();
    const { exportRoutes } = await import('./routes/exports.ts');
    const { KeyCache } = await import('./auth.ts');
    const app = exportRoutes({
      store: slow,
      keys: new KeyCache(f.store),
      logger: createLogger({ level: 'silent' }),
      maxDurationMs: 100,
    });
    const res = await app.request('/v1/exports/conversations?format=csv', {
      headers: { authorization: `Bearer ${f.readKey}` },
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow('the export ran past its time limit');
  });
});
