/**
 * Bad requests for the MCP endpoint (`serveMcp`, POST /mcp), built from the families of
 * bad-request-cases.ts plus JSON-RPC mistakes. Each says what the MCP spec makes of it: an HTTP 4xx
 * (transport: auth, content type, Accept, size, unparseable JSON-RPC), a JSON-RPC error code (a method
 * that does not exist, malformed params), or a tool error result (`isError`: an unknown tool, bad arguments).
 */
import {
  ALICE,
  authCases,
  type BadRequest,
  contentTypeCases,
  deepJson,
  JSON_TYPE,
  malformedJsonCases,
  UNKNOWN_NAMES,
} from './bad-request-cases.ts';

/** A bad MCP request: `status`, and for a 200 the JSON-RPC error code or a tool error it must answer. */
export type BadMcpRequest = BadRequest & { rpcError?: number[]; toolError?: boolean };

export const MCP_HEADERS = { ...ALICE, ...JSON_TYPE, accept: 'application/json, text/event-stream' };

const PARSE_ERRORS = [-32700, -32600];
const rpc = (method: string, params?: unknown, id: unknown = 1) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });

/** The bad requests, at least 100. */
export function badMcpRequests(path = '/mcp'): BadMcpRequest[] {
  const base = { method: 'POST', path, headers: MCP_HEADERS };
  const valid = { ...base, body: rpc('tools/list') };
  const call = (name: unknown, args?: unknown) =>
    rpc('tools/call', { name, ...(args === undefined ? {} : { arguments: args }) });
  return [
    ...authCases({ ...valid, headers: { ...JSON_TYPE, accept: MCP_HEADERS.accept } }, 20),
    ...contentTypeCases(valid)
      .filter((request) => request.headers['content-type'] !== 'application/jsonp')
      .map((request) => ({ ...request, status: 415 })),
    ...['application/json', 'text/event-stream', '*/*', 'text/html', 'application/xml', ''].map((accept) => ({
      ...valid,
      label: `accept "${accept}"`,
      headers: { ...MCP_HEADERS, accept },
      status: 406,
    })),
    ...malformedJsonCases(base).map((request) => ({ ...request, rpcError: [-32700] })),
    ...[
      'null',
      '1',
      '"tools/list"',
      'true',
      '[1,2]',
      '{}',
      '{"id":1}',
      '{"id":1,"method":"tools/list"}',
      JSON.stringify({ jsonrpc: '1.0', id: 1, method: 'tools/list' }),
      JSON.stringify({ jsonrpc: 2, id: 1, method: 'tools/list' }),
      ...[{}, [], null, true, 1.5].map((id) => rpc('tools/list', undefined, id)),
      ...[5, null, {}, []].map((method) => JSON.stringify({ jsonrpc: '2.0', id: 1, method })),
      ...[[1], 'x', 5, { _meta: 'x' }].map((params) => rpc('tools/list', params)),
      deepJson(100_000, '[', ']'),
    ].map((body) => ({
      ...base,
      label: `not JSON-RPC ${body.slice(0, 40)}`,
      body,
      status: 400,
      rpcError: PARSE_ERRORS,
    })),
    ...[
      'tools/teleport',
      'resources/list',
      'resources/read',
      'prompts/list',
      'prompts/get',
      'completion/complete',
      'sampling/createMessage',
      'Tools/List',
      'tools/list ',
      'tools',
      '',
      'rpc.discover',
      '__proto__',
      'constructor',
      'toString',
      'tools/call/add',
    ].map((method) => ({
      ...base,
      label: `method ${JSON.stringify(method)}`,
      body: rpc(method),
      status: 200,
      rpcError: [-32601],
    })),
    ...[...UNKNOWN_NAMES.slice(0, 20).map((name) => safeDecode(name)), 'Add', 'add ', 'ADD', 'adds'].map(
      (name) => ({
        ...base,
        label: `tool ${name.slice(0, 30)}`,
        body: call(name, {}),
        status: 200,
        toolError: true,
      }),
    ),
    ...[
      {},
      { a: 1 },
      { a: 'x', b: 1 },
      { a: 1, b: '2' },
      { a: null, b: 1 },
      { a: [], b: {} },
      { a: true, b: false },
      { a: { a: { a: 1 } }, b: 1 },
      { b: 1 },
    ].map((args) => ({
      ...base,
      label: `add arguments ${JSON.stringify(args)}`,
      body: call('add', args),
      status: 200,
      toolError: true,
    })),
    ...[
      '{"a":1,"b":2,"__proto__":{"admin":true}}',
      '{"a":1,"b":{"__proto__":{"admin":true}}}',
      `{"a":1,"b":2,"c":${deepJson(101)}}`,
      `{"a":1,"b":2,"c":${deepJson(5000, '[', ']')}}`,
    ].map((args) => ({
      ...base,
      label: `add arguments ${args.slice(0, 40)}`,
      body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":${args}}}`,
      status: 200,
      toolError: true,
      names: 'arguments.',
    })),
    ...[
      rpc('tools/call'),
      rpc('tools/call', {}),
      call(5, {}),
      call(null, {}),
      call({}, {}),
      call('add', [1, 2]),
      call('add', 'a=1'),
      call('add', 5),
      call('add', null),
      rpc('tools/list', { cursor: 5 }),
      rpc('tools/list', { cursor: {} }),
      rpc('initialize'),
      rpc('initialize', {}),
      rpc('initialize', { protocolVersion: 5, capabilities: {}, clientInfo: { name: 'c', version: '1' } }),
      rpc('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: 'all',
        clientInfo: { name: 'c', version: '1' },
      }),
      rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 7 } }),
      rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {} }),
    ].map((body) => ({
      ...base,
      label: `params ${body.slice(30, 90)}`,
      body,
      status: 200,
      rpcError: [-32602],
    })),
    ...['1999-01-01', 'latest', '2025-13-45', 'x'.repeat(300)].map((version) => ({
      ...valid,
      label: `protocol version ${version.slice(0, 20)}`,
      headers: { ...MCP_HEADERS, 'mcp-protocol-version': version },
      status: 400,
    })),
    ...[
      rpc('tools/list', { pad: 'x'.repeat(1024 * 1024) }),
      call('add', { a: 1, b: 2, pad: 'y'.repeat(1024 * 1024) }),
      rpc('tools/list', undefined, 'z'.repeat(1024 * 1024 + 1)),
    ].map((body, index) => ({ ...base, label: `over 1 MiB #${index}`, body, status: 413, names: '1048576' })),
    ...['PUT', 'PATCH', 'GET', 'DELETE'].map((method) => ({
      ...base,
      label: method,
      method,
      ...(method === 'GET' ? {} : { body: valid.body }),
      status: 405,
    })),
  ];
}

function safeDecode(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
