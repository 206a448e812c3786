/**
 * The export acceptance on both databases: a project exported as JSONL, every line posted as it is to
 * `/v1/ingest` of an empty project, reads the same there: every conversation's fields, messages, steps,
 * feedback and totals, the list, the customers and the metrics. Posting the file again stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_T0, exportCorpus } from './export/test-corpus.ts';
import { createFixture, type Fixture } from './test-fixture.ts';

const DAY = 86_400_000;

/** Every conversation id of a project, through the list API. */
async function allIds(f: Fixture, key: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (
      await f.request(`/v1/conversations?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { key })
    ).json()) as { data: Array<{ id: string }>; nextCursor: string | null };
    ids.push(...page.data.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

const readJson = async (f: Fixture, path: string, key: string) => {
  const res = await f.request(path, { key });
  expect(res.status, path).toBe(200);
  return res.json();
};

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`JSONL export round trip through /v1/ingest (${dialect})`, () => {
    let f: Fixture;
    let file: string;

    beforeAll(async () => {
      f = await createFixture({ dialect });
      for (const events of exportCorpus()) {
        const res = await f.request('/v1/ingest', {
          method: 'POST',
          key: f.ingestKey,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        });
        expect(res.status).toBe(200);
      }
      const res = await f.request('/v1/exports/conversations?format=jsonl', { key: f.readKey });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(
        /^attachment; filename="conversations-\d{4}-\d\d-\d\d\.jsonl"$/,
      );
      file = await res.text();
    }, 60_000);
    afterAll(async () => {
      await f.close();
    });

    it('writes each line as an ingest body of one conversation, within the batch limits', () => {
      const lines = file.trimEnd().split('\n');
      const conversationsOfLines = lines.map((line) => {
        const body = JSON.parse(line) as { events: Array<{ id: string; body: { conversationId: string } }> };
        expect(Object.keys(body)).toEqual(['events']);
        expect(body.events.length).toBeGreaterThan(0);
        expect(body.events.length).toBeLessThanOrEqual(1_000);
        expect(new Set(body.events.map((e) => e.body.conversationId)).size).toBe(1);
        return body.events[0]?.body.conversationId;
      });
      // 36 conversations; the one of 1,100 messages takes two lines.
      expect(lines).toHaveLength(37);
      expect(conversationsOfLines.filter((id) => id === 'rt-long')).toHaveLength(2);
    });

    it('rebuilds every conversation, the list, customers and metrics in an empty project; a second post stores nothing', async () => {
      expect(await allIds(f, f.otherReadKey)).toEqual([]);
      const lines = file.trimEnd().split('\n');
      let accepted = 0;
      for (const line of lines) {
        // Each line goes as it is: `while read line; do curl --data-binary "$line" …; done` does the same.
        const res = await f.request('/v1/ingest', {
          method: 'POST',
          key: f.otherIngestKey,
          headers: { 'content-type': 'application/json' },
          body: line,
        });
        const answer = (await res.json()) as { accepted: number; rejected: number; results: unknown[] };
        expect(res.status, JSON.stringify(answer.results)).toBe(200);
        accepted += answer.accepted;
      }
      expect(accepted).toBeGreaterThan(1_200);

      const ids = await allIds(f, f.readKey);
      expect(ids).toHaveLength(36);
      expect(await allIds(f, f.otherReadKey)).toEqual(ids);
      for (const id of ids) {
        const path = `/v1/conversations/${encodeURIComponent(id)}`;
        expect(await readJson(f, path, f.otherReadKey), id).toEqual(await readJson(f, path, f.readKey));
      }
      const from = new Date(CORPUS_T0 - DAY).toISOString();
      const to = new Date(CORPUS_T0 + 2 * DAY).toISOString();
      for (const path of [
        `/v1/metrics?from=${from}&to=${to}&bucket=hour`,
        `/v1/metrics?from=${from}&to=${to}&bucket=day&environment=staging`,
        '/v1/customers?limit=100',
        `/v1/tools/search/calls?kind=failed`,
      ]) {
        expect(await readJson(f, path, f.otherReadKey), path).toEqual(await readJson(f, path, f.readKey));
      }

      let again = 0;
      for (const line of lines) {
        const res = await f.request('/v1/ingest', {
          method: 'POST',
          key: f.otherIngestKey,
          headers: { 'content-type': 'application/json' },
          body: line,
        });
        again += ((await res.json()) as { accepted: number }).accepted;
      }
      expect(again).toBe(0);
      const exportedAgain = await f.request('/v1/exports/conversations', { key: f.otherReadKey });
      expect(await exportedAgain.text()).toBe(file);
    }, 120_000);
  });
}
