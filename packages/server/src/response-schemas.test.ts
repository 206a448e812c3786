/**
 * The read API's answers are declared once, as zod schemas in @sightline/core (issue 13 item 13): the
 * OpenAPI document shows each core schema under its `.meta({ id })` with exactly its fields, and what
 * every route really answers, on SQLite and PostgreSQL, is exactly what its schema declares (nothing
 * missing, nothing extra). A field added to a schema and the store shows up in the types, the document
 * and this check at once; a field the store sends but no schema declares fails here. (Datasets and
 * experiments: their answers are checked the same way in datasets.test.ts.)
 */
import {
  conversationDetailSchema,
  conversationPageSchema,
  conversationSummarySchema,
  customerPageSchema,
  customerSummarySchema,
  datasetDetailSchema,
  datasetItemSchema,
  datasetSchema,
  erasureReceiptSchema,
  experimentComparisonSchema,
  experimentDetailSchema,
  experimentSchema,
  ingestionHealthSchema,
  ingestResponseSchema,
  metricsResponseSchema,
  newId,
  projectInfoSchema,
  scoreReceiptSchema,
  storedFeedbackSchema,
  storedMessageSchema,
  storedScoreSchema,
  storedStepSchema,
  versionComparisonSchema,
} from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFixture, type Fixture, postEvents } from './test-fixture.ts';

const T0 = Date.UTC(2026, 4, 4, 10, 0, 0);
const at = (ms: number) => new Date(T0 + ms).toISOString();
const range = `from=${at(-3_600_000)}&to=${at(86_400_000)}`;

/** A conversation with every kind of record, each field the API shows filled at least once. */
function events(conversationId: string) {
  const context = { conversationId, customerId: 'cust-schemas', agentVersion: 'v1' };
  const messageId = newId();
  const event = (type: string, ms: number, body: Record<string, unknown>) => ({
    id: newId(),
    type,
    timestamp: at(ms),
    body: { ...context, ...body },
  });
  return [
    event('conversation', 0, {
      name: 'schemas',
      source: 'web',
      device: 'phone',
      language: 'en',
      tags: ['a'],
    }),
    event('message', 1, {
      messageId,
      role: 'human',
      content: 'hello',
      metadata: { page: '/help' },
      attachments: [{ name: 'a.png', mimeType: 'image/png', url: 'https://x.test/a.png', sizeBytes: 3 }],
    }),
    event('step', 2, {
      stepId: 'llm-1',
      type: 'llm',
      name: 'answer',
      startedAt: at(2),
      durationMs: 30,
      input: { q: 'hello' },
      output: 'hi',
      usage: {
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputTokens: 10,
        outputTokens: 5,
        timeToFirstTokenMs: 9,
      },
    }),
    event('step', 3, {
      stepId: 'tool-1',
      parentId: 'llm-1',
      type: 'tool',
      name: 'lookup',
      startedAt: at(3),
      durationMs: 20,
      error: { message: 'boom', type: 'Error' },
    }),
    event('message', 900, { role: 'agent', content: 'hi' }),
    event('feedback', 1000, {
      messageId,
      sentiment: 'positive',
      score: { name: 'stars', value: 5 },
      comment: 'ok',
    }),
    event('score', 1100, { name: 'helpfulness', value: 0.8, source: 'model', comment: 'fine' }),
    event('score', 1200, { name: 'tone', value: 'friendly', messageId }),
  ];
}

/** Parses with the schema and expects the parsed value to equal the body: no field missing, none extra. */
function expectExactly(schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  expect(parsed.data).toEqual(body);
}

describe('the OpenAPI document names the core response schemas', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('shows each under its id with exactly its fields', async () => {
    const doc = await (await f.request('/openapi.json')).json();
    const components = doc.components.schemas as Record<string, { properties: Record<string, unknown> }>;
    const named: Array<[string, z.ZodObject]> = [
      ['ConversationSummary', conversationSummarySchema],
      ['ConversationPage', conversationPageSchema],
      ['ConversationDetail', conversationDetailSchema],
      ['Message', storedMessageSchema],
      ['Step', storedStepSchema],
      ['Feedback', storedFeedbackSchema],
      ['Score', storedScoreSchema],
      ['Metrics', metricsResponseSchema],
      ['CustomerPage', customerPageSchema],
      ['CustomerSummary', customerSummarySchema],
      ['IngestionHealth', ingestionHealthSchema],
      ['IngestResponse', ingestResponseSchema],
      ['ErasureReceipt', erasureReceiptSchema],
      ['Project', projectInfoSchema],
      ['ScoreReceipt', scoreReceiptSchema],
      ['VersionComparison', versionComparisonSchema],
      ['Dataset', datasetSchema],
      ['DatasetItem', datasetItemSchema],
      ['DatasetDetail', datasetDetailSchema],
      ['Experiment', experimentSchema],
      ['ExperimentDetail', experimentDetailSchema],
      ['ExperimentComparison', experimentComparisonSchema],
    ];
    for (const [name, schema] of named) {
      expect(Object.keys(components[name]?.properties ?? {}), name).toEqual(Object.keys(schema.shape));
    }
    const detail =
      doc.paths['/v1/conversations/{id}'].get.responses['200'].content['application/json'].schema;
    expect(detail).toEqual({ $ref: '#/components/schemas/ConversationDetail' });
    expect(components.ConversationDetail?.properties.messages).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/Message' },
    });
    const comparison =
      doc.paths['/v1/experiments/compare'].get.responses['200'].content['application/json'].schema;
    expect(comparison).toEqual({ $ref: '#/components/schemas/ExperimentComparison' });
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`every read answer is exactly its core schema: ${dialect}`, () => {
    let f: Fixture;
    const conversationId = `schemas-${newId()}`;
    const get = async (path: string, key = f.readKey) => {
      const response = await f.request(path, { key });
      expect(response.status, path).toBe(200);
      return response.json();
    };

    beforeAll(async () => {
      f = await createFixture({ dialect });
      const response = await postEvents(f, events(conversationId));
      expectExactly(ingestResponseSchema, await response.json());
      await postEvents(f, [{ id: newId(), type: 'message', timestamp: at(5), body: { role: 'alien' } }]);
    });
    afterAll(async () => {
      await f.close();
    });

    it('conversations: the list, one conversation, a rename', async () => {
      const page = await get('/v1/conversations?limit=1');
      expect(page.data).toHaveLength(1);
      expectExactly(conversationPageSchema, page);
      const detail = await get(`/v1/conversations/${conversationId}`);
      expect(detail.messages[0].attachments).toHaveLength(1);
      expect(detail.steps.map((s: { id: string }) => s.id).sort()).toEqual(['llm-1', 'tool-1']);
      expect(detail.feedback).toHaveLength(1);
      expect(detail.scores).toHaveLength(2);
      expectExactly(conversationDetailSchema, detail);
      const renamed = await f.request(`/v1/conversations/${conversationId}`, {
        method: 'PATCH',
        key: f.adminKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ marked: true }),
      });
      expectExactly(conversationSummarySchema, await renamed.json());
    });

    it('metrics, customers, tool calls, ingestion health, project', async () => {
      const metrics = await get(`/v1/metrics?${range}&bucket=hour`);
      expect(metrics.scores.length).toBeGreaterThan(0);
      expect(metrics.agentVersions.length).toBeGreaterThan(0);
      expectExactly(metricsResponseSchema, metrics);
      const customers = await get(`/v1/customers?${range}`);
      expect(customers.data[0].scores.length).toBeGreaterThan(0);
      expectExactly(customerPageSchema, customers);
      const calls = await get('/v1/tools/lookup/calls?kind=failed');
      expect(calls.data).toHaveLength(1);
      expectExactly(z.object({ data: z.array(storedStepSchema) }), calls);
      const health = await get('/v1/ingestion/health');
      expect(health.rejected.length).toBeGreaterThan(0);
      expectExactly(ingestionHealthSchema, health);
      expectExactly(projectInfoSchema, await get('/v1/project'));
    });

    it('an erasure receipt', async () => {
      const response = await f.request(`/v1/conversations/${conversationId}`, {
        method: 'DELETE',
        key: f.adminKey,
      });
      const receipt = await response.json();
      expect(receipt.removed.scores).toBe(2);
      expectExactly(erasureReceiptSchema, receipt);
    });
  });
}
