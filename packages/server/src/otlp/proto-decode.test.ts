import { describe, expect, it } from 'vitest';
import { flattenSpans } from './otlp-spans.ts';
import { decodeTraceRequest } from './proto-decode.ts';
import { field, TRACE_ID } from './test-payloads.ts';
import { encodeTraceRequest } from './trace-proto.ts';

const attributes = [
  { key: 's', value: { stringValue: 'héllo ✓' } },
  { key: 'b', value: { boolValue: true } },
  { key: 'f', value: { boolValue: false } },
  { key: 'i', value: { intValue: 42 } },
  { key: 'neg', value: { intValue: -7 } },
  { key: 'big', value: { intValue: '9007199254740993' } },
  { key: 'min', value: { intValue: '-9223372036854775808' } },
  { key: 'd', value: { doubleValue: 2.5 } },
  { key: 'bytes', value: { bytesValue: Buffer.from('raw') } },
  { key: 'empty', value: {} },
  {
    key: 'nested',
    value: {
      kvlistValue: {
        values: [
          { key: 'list', value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'two' }] } } },
          { key: 'none' },
        ],
      },
    },
  },
];

const request = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'decoder' } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: Buffer.from(TRACE_ID, 'hex'),
              spanId: Buffer.from('b7ad6b7169203331', 'hex'),
              parentSpanId: Buffer.from('a7ad6b7169203330', 'hex'),
              name: 'chat',
              kind: 3,
              startTimeUnixNano: '1767225600123456789',
              endTimeUnixNano: '18446744073709551615',
              attributes,
              events: [{ name: 'gen_ai.choice', timeUnixNano: '1767225600500000000', attributes }],
              status: { code: 2, message: 'failed' },
            },
          ],
        },
      ],
    },
  ],
};

describe('decodeTraceRequest', () => {
  it('reads what protobufjs encodes as the OTLP/JSON of the same request reads', () => {
    const json = JSON.parse(JSON.stringify(request), (key, value) =>
      ['traceId', 'spanId', 'parentSpanId'].includes(key)
        ? Buffer.from(value.data).toString('hex')
        : key === 'bytesValue'
          ? Buffer.from(value.data).toString('base64')
          : value,
    );
    const decoded = flattenSpans(decodeTraceRequest(encodeTraceRequest(request)));
    expect(decoded).toEqual(flattenSpans(json));
    expect(decoded[0]?.attributes).toMatchObject({
      big: '9007199254740993',
      min: '-9223372036854775808',
      neg: -7,
      nested: { list: [1, 'two'], none: null },
      bytes: Buffer.from('raw').toString('base64'),
    });
    expect(decoded[0]?.endMs).toBe(18446744073709);
  });

  it('skips fields it does not read (a scope, links, trace state) and keeps the last of a oneof', () => {
    const span = Buffer.concat([
      field(1, Buffer.from(TRACE_ID, 'hex')),
      field(2, Buffer.alloc(8, 1)),
      field(3, 'tracestate=1'),
      field(13, field(1, Buffer.alloc(16, 2))), // a link
      field(
        9,
        Buffer.concat([
          field(1, 'k'),
          field(2, Buffer.concat([field(1, 'first'), Buffer.from([0x10, 0x01])])),
        ]),
      ),
    ]);
    const scopeSpans = Buffer.concat([field(1, field(1, 'scope-name')), field(2, span)]);
    const [decoded] = flattenSpans(decodeTraceRequest(field(1, field(2, scopeSpans))));
    expect(decoded?.attributes).toEqual({ k: true });
    expect(decoded?.spanId).toBe('0101010101010101');
  });
});
