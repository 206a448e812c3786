/**
 * Over 1,000 malformed requests: each must get a 4xx that names the problem, never a 5xx; the server
 * keeps serving; and nothing from a refused request becomes visible.
 */
import { LIMITS, newId, parseIngestEvent } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from './test-fixture.ts';

interface BadRequest {
  label: string;
  body: BodyInit;
  contentType?: string;
  key?: string | null;
}

let counter = 0;
const convo = () => `bad-${counter++}`;
const validEvent = () => ({
  id: newId(),
  type: 'message',
  timestamp: new Date().toISOString(),
  body: { conversationId: convo(), role: 'human', content: 'hello' },
});
const envelope = (events: unknown[]) => JSON.stringify({ events });

function invalidJson(): BadRequest[] {
  const text = envelope([validEvent(), validEvent()]);
  const cases: BadRequest[] = [];
  for (let cut = 1; cut < 500; cut++)
    cases.push({ label: `truncated at ${cut}`, body: text.slice(0, Math.floor((text.length * cut) / 500)) });
  for (const garbage of [
    '{',
    '[',
    '{"events":',
    "{'events': []}",
    '{"events": [NaN]}',
    '{"events": [1,]}',
    'null',
    'true',
    '42',
    '"x"',
    '[]',
    '{}',
    ' ',
    '{"events": undefined}',
  ]) {
    cases.push({ label: `garbage ${garbage}`, body: garbage });
  }
  return cases;
}

const WRONG_VALUES: unknown[] = [
  null,
  42,
  -1,
  1.5,
  true,
  false,
  'text',
  '',
  [],
  [1, 2],
  {},
  { nested: true },
  'x'.repeat(300),
];

function wrongTypes(): BadRequest[] {
  const cases: BadRequest[] = [];
  const paths: Array<[string, (e: Record<string, unknown>, v: unknown) => void]> = [
    [
      'id',
      (e, v) => {
        e.id = v;
      },
    ],
    [
      'type',
      (e, v) => {
        e.type = v;
      },
    ],
    [
      'timestamp',
      (e, v) => {
        e.timestamp = v;
      },
    ],
    [
      'body',
      (e, v) => {
        e.body = v;
      },
    ],
    [
      'body.conversationId',
      (e, v) => {
        (e.body as Record<string, unknown>).conversationId = v;
      },
    ],
    [
      'body.role',
      (e, v) => {
        (e.body as Record<string, unknown>).role = v;
      },
    ],
    [
      'body.content',
      (e, v) => {
        (e.body as Record<string, unknown>).content = v;
      },
    ],
    [
      'body.metadata',
      (e, v) => {
        (e.body as Record<string, unknown>).metadata = v;
      },
    ],
    [
      'body.customerId',
      (e, v) => {
        (e.body as Record<string, unknown>).customerId = v;
      },
    ],
    [
      'body.attachments',
      (e, v) => {
        (e.body as Record<string, unknown>).attachments = v;
      },
    ],
  ];
  for (const [path, set] of paths) {
    for (const value of WRONG_VALUES) {
      const event = validEvent() as unknown as Record<string, unknown>;
      set(event, value);
      if (!('issues' in parseIngestEvent(event, 0))) continue; // still valid (e.g. a string where a string is expected)
      cases.push({ label: `${path} = ${JSON.stringify(value).slice(0, 20)}`, body: envelope([event]) });
    }
  }
  const stepFields = ['stepId', 'type', 'name', 'startedAt', 'durationMs', 'usage', 'error', 'toolsUsed'];
  for (const field of stepFields) {
    for (const value of [null, -5, 'not-a-date!', [], { model: 1 }]) {
      const body: Record<string, unknown> = {
        conversationId: convo(),
        stepId: 's1',
        type: 'tool',
        name: 'calc',
        [field]: value,
      };
      if (field === 'usage' && typeof value === 'object' && value !== null && !Array.isArray(value))
        body.usage = value;
      const event = { id: newId(), type: 'step', timestamp: new Date().toISOString(), body };
      if ('issues' in parseIngestEvent(event, 0))
        cases.push({ label: `step.${field}`, body: envelope([event]) });
    }
  }
  return cases;
}

function missingFields(): BadRequest[] {
  const cases: BadRequest[] = [];
  for (const field of ['id', 'type', 'timestamp', 'body']) {
    for (let i = 0; i < 10; i++) {
      const event = validEvent() as unknown as Record<string, unknown>;
      delete event[field];
      cases.push({ label: `missing ${field}`, body: envelope([event]) });
    }
  }
  for (const field of ['conversationId', 'role', 'content']) {
    for (let i = 0; i < 10; i++) {
      const event = validEvent();
      delete (event.body as Record<string, unknown>)[field];
      cases.push({ label: `missing body.${field}`, body: envelope([event]) });
    }
  }
  for (let i = 0; i < 10; i++)
    cases.push({ label: 'no events key', body: JSON.stringify({ evnts: [validEvent()] }) });
  for (let i = 0; i < 10; i++)
    cases.push({
      label: 'feedback without sentiment',
      body: envelope([
        {
          id: newId(),
          type: 'feedback',
          timestamp: new Date().toISOString(),
          body: { conversationId: convo() },
        },
      ]),
    });
  return cases;
}

function oversize(): BadRequest[] {
  const cases: BadRequest[] = [];
  const withBody = (patch: Record<string, unknown>) => {
    const event = validEvent();
    Object.assign(event.body, patch);
    return envelope([event]);
  };
  for (let i = 0; i < 20; i++)
    cases.push({
      label: 'content over limit',
      body: withBody({ content: 'x'.repeat(LIMITS.maxContentLength + 1 + i) }),
    });
  for (let i = 0; i < 20; i++)
    cases.push({
      label: 'conversationId over limit',
      body: withBody({ conversationId: 'c'.repeat(LIMITS.maxIdLength + 1 + i) }),
    });
  for (let i = 0; i < 20; i++)
    cases.push({
      label: 'metadata over limit',
      body: withBody({ metadata: { blob: 'm'.repeat(LIMITS.maxMetadataSize + i) } }),
    });
  for (let i = 0; i < 5; i++)
    cases.push({
      label: 'too many events',
      body: envelope(Array.from({ length: LIMITS.maxBatchEvents + 1 + i }, validEvent)),
    });
  for (let i = 0; i < 5; i++)
    cases.push({
      label: 'body over byte limit',
      body: JSON.stringify({ events: [validEvent()], pad: 'p'.repeat(LIMITS.maxBatchBytes + i) }),
    });
  for (let i = 0; i < 5; i++)
    cases.push({
      label: 'too many tags',
      body: envelope([
        {
          id: newId(),
          type: 'conversation',
          timestamp: new Date().toISOString(),
          body: {
            conversationId: convo(),
            tags: Array.from({ length: LIMITS.maxTags + 1 }, (_, t) => `t${t}`),
          },
        },
      ]),
    });
  return cases;
}

function deepNesting(): BadRequest[] {
  const cases: BadRequest[] = [];
  for (const depth of [LIMITS.maxDepth + 1, 20, 50, 100, 1_000, 10_000, 100_000]) {
    const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const event = validEvent();
    const text = envelope([event]).replace('"content":"hello"', `"content":"hello","metadata":${nested}`);
    cases.push({ label: `metadata depth ${depth}`, body: text });
    const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    cases.push({
      label: `array depth ${depth}`,
      body: `{"events":[{"id":"${newId()}","type":"step","timestamp":"${new Date().toISOString()}","body":{"conversationId":"${convo()}","stepId":"s","type":"tool","name":"n","input":${arrays}}}]}`,
    });
  }
  return cases;
}

function prototypeKeys(): BadRequest[] {
  const cases: BadRequest[] = [];
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    for (let i = 0; i < 10; i++) {
      const event = validEvent();
      const text = envelope([event]).replace(
        '"content":"hello"',
        `"content":"hello","metadata":{"${key}":{"polluted":${i}}}`,
      );
      cases.push({ label: `metadata.${key}`, body: text });
      const stepText = `{"events":[{"id":"${newId()}","type":"step","timestamp":"${new Date().toISOString()}","body":{"conversationId":"${convo()}","stepId":"s","type":"tool","name":"n","output":{"x":{"${key}":{"isAdmin":true}}}}}]}`;
      cases.push({ label: `output.${key}`, body: stepText });
    }
  }
  return cases;
}

function invalidUtf8(): BadRequest[] {
  const cases: BadRequest[] = [];
  const sequences = [
    [0xff],
    [0xc3, 0x28],
    [0xa0, 0xa1],
    [0xe2, 0x28, 0xa1],
    [0xf0, 0x28, 0x8c, 0xbc],
    [0xed, 0xa0, 0x80],
    [0xc0, 0xaf],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
  ];
  for (const sequence of sequences) {
    for (let i = 0; i < 5; i++) {
      const prefix = Buffer.from(envelope([validEvent()]).replace('"hello"', '"hel'));
      cases.push({
        label: `utf8 ${sequence.map((b) => b.toString(16)).join(' ')}`,
        body: Buffer.concat([prefix, Buffer.from(sequence), Buffer.from('lo"}}]}')]),
      });
    }
  }
  return cases;
}

function wrongContentTypes(): BadRequest[] {
  const types = [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'application/xml',
    'text/json',
    'application/jsonx',
    '',
  ];
  return types.flatMap((type) =>
    Array.from({ length: 5 }, () => ({
      label: `content-type ${type || 'none'}`,
      body: envelope([validEvent()]),
      contentType: type,
    })),
  );
}

function badKeys(fixture: Fixture): BadRequest[] {
  const keys: Array<string | null> = [
    null,
    '',
    'nope',
    'Bearer',
    'sl_ingest_',
    'sl_ingest_short',
    `sl_ingest_${'x'.repeat(40)}`,
    `sl_admin_${'x'.repeat(32)}`,
    fixture.readKey,
    fixture.otherReadKey,
    `${fixture.ingestKey}x`,
    fixture.ingestKey.toUpperCase(),
    `Basic ${fixture.ingestKey}`,
  ];
  return keys.flatMap((key) =>
    Array.from({ length: 5 }, () => ({
      label: `key ${String(key).slice(0, 14)}`,
      body: envelope([validEvent()]),
      key,
    })),
  );
}

describe('malformed input', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('answers at least 1,000 malformed requests with a 4xx naming the problem, and stores none of them', async () => {
    const cases = [
      invalidJson(),
      wrongTypes(),
      missingFields(),
      oversize(),
      deepNesting(),
      prototypeKeys(),
      invalidUtf8(),
      wrongContentTypes(),
      badKeys(f),
    ].flat();
    expect(cases.length).toBeGreaterThanOrEqual(1_000);
    const failures: string[] = [];
    for (const bad of cases) {
      const headers: Record<string, string> = {};
      if (bad.contentType !== '') headers['content-type'] = bad.contentType ?? 'application/json';
      const key = bad.key === undefined ? f.ingestKey : bad.key;
      if (key !== null) headers.authorization = key.startsWith('Basic') ? key : `Bearer ${key}`;
      const res = await f.collector.app.request('/v1/ingest', { method: 'POST', headers, body: bad.body });
      const body = (await res.json()) as {
        error?: { message?: string };
        results?: Array<{ issues?: Array<{ path: string; message: string }> }>;
      };
      const named = body.error?.message ?? body.results?.find((r) => r.issues)?.issues?.[0]?.message;
      if (res.status < 400 || res.status >= 500 || !named)
        failures.push(`${bad.label}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect((await f.request('/healthz')).status).toBe(200);
    const stored = await (await f.request('/v1/conversations?limit=200', { key: f.readKey })).json();
    expect(stored.data).toEqual([]);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  }, 120_000);

  it('answers bad query parameters and unknown routes with a 4xx', async () => {
    const paths = [
      '/v1/conversations?limit=0',
      '/v1/conversations?limit=abc',
      '/v1/conversations?from=yesterday',
      '/v1/conversations?cursor=%%%',
      '/v1/conversations?cursor=bm9wZQ',
      '/v1/conversations?feedback=great',
      '/v1/conversations?metadata=novalue',
      `/v1/conversations?search=${'s'.repeat(300)}`,
      '/v1/metrics',
      '/v1/metrics?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z&bucket=hour',
      '/v1/metrics?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&bucket=minute',
      '/v1/customers?limit=-1',
      '/v1/tools/x/calls?kind=weird',
      `/v1/conversations/${'c'.repeat(300)}`,
      '/v1/nothing-here',
    ];
    for (const path of paths) {
      const res = await f.request(path, { key: f.readKey });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect((await res.json()).error.message, path).toBeTruthy();
    }
  });
});
