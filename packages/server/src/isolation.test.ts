/**
 * Isolation: a key of one project never reads or writes another project's data. Every endpoint is
 * tried with the other project's keys; answers are 401/403/404, or a 200 holding none of the data.
 */
import { newId } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, postEvents } from './test-fixture.ts';

const SECRETS = [
  'secret-conv',
  'secret-customer',
  'secret-tool',
  'secret words',
  'secret-model',
  'secret-instance',
];

describe('project isolation', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
    const now = Date.now();
    const ctx = { conversationId: 'secret-conv', customerId: 'secret-customer' };
    const at = (ms: number) => new Date(now + ms).toISOString();
    const res = await f.request('/v1/ingest', {
      method: 'POST',
      key: f.ingestKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client: { sdk: 'test', instanceId: 'secret-instance', dropped: { events: 1 } },
        events: [
          {
            id: newId(),
            type: 'message',
            timestamp: at(0),
            body: { ...ctx, role: 'human', content: 'secret words' },
          },
          {
            id: newId(),
            type: 'step',
            timestamp: at(1),
            body: {
              ...ctx,
              stepId: 's1',
              type: 'tool',
              name: 'secret-tool',
              startedAt: at(1),
              endedAt: at(2),
              error: { message: 'boom' },
            },
          },
          {
            id: newId(),
            type: 'step',
            timestamp: at(3),
            body: {
              ...ctx,
              stepId: 's2',
              type: 'llm',
              name: 'gen',
              startedAt: at(3),
              endedAt: at(4),
              usage: { model: 'secret-model', inputTokens: 1 },
            },
          },
          {
            id: newId(),
            type: 'message',
            timestamp: at(5),
            body: { ...ctx, role: 'agent', content: 'secret words back' },
          },
          {
            id: newId(),
            type: 'message',
            timestamp: at(6),
            body: { ...ctx, role: 'human', content: { bad: true } },
          },
        ],
      }),
    });
    expect(res.status).toBe(207);
  });
  afterAll(async () => {
    await f.close();
  });

  it('shows the other project none of this project’s data on any read endpoint', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const reads = [
      '/v1/conversations',
      '/v1/conversations?search=secret',
      '/v1/conversations?customerId=secret-customer',
      '/v1/conversations/secret-conv',
      `/v1/metrics?from=${from}&to=${to}`,
      `/v1/metrics?from=${from}&to=${to}&bucket=hour`,
      '/v1/customers',
      `/v1/customers?from=${from}&to=${to}`,
      '/v1/tools/secret-tool/calls',
      '/v1/tools/secret-tool/calls?kind=failed',
      '/v1/ingestion/health',
      '/v1/project',
    ];
    // The owner sees the data (so the probe is meaningful)...
    const own = await (await f.request('/v1/conversations/secret-conv', { key: f.readKey })).text();
    expect(own).toContain('secret words');
    for (const path of reads) {
      for (const key of [f.otherReadKey, f.otherIngestKey, f.otherAdminKey]) {
        const res = await f.request(path, { key });
        const text = await res.text();
        expect([200, 401, 403, 404], path).toContain(res.status);
        // (an error may echo what the request itself named, which is not a leak)
        for (const secret of SECRETS.filter((s) => !path.includes(s)))
          expect(text, `${path} leaked ${secret}`).not.toContain(secret);
      }
    }
    const live = await f.request(`/v1/live?access_token=${f.ingestKey}`);
    expect(live.status).toBe(403);
  });

  it('keeps the other project’s writes out of this project', async () => {
    const res = await postEvents(
      f,
      [
        {
          id: newId(),
          type: 'message',
          timestamp: new Date().toISOString(),
          body: { conversationId: 'secret-conv', role: 'human', content: 'intruder' },
        },
      ],
      f.otherIngestKey,
    );
    expect(res.status).toBe(200);
    const mine = await (await f.request('/v1/conversations/secret-conv', { key: f.readKey })).json();
    expect(mine.messages.map((m: { content: string }) => m.content)).not.toContain('intruder');
    const feedback = await f.request('/v1/feedback', {
      method: 'POST',
      key: f.otherIngestKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'secret-conv', sentiment: 'negative' }),
    });
    expect(feedback.status).toBe(201); // the other project now has its own 'secret-conv' (from the write above)
    const after = await (await f.request('/v1/conversations/secret-conv', { key: f.readKey })).json();
    expect(after.conversation.feedback.negative).toBe(0);
  });
});
