/**
 * At least 100 different bad requests to the MCP endpoint (test/bad-mcp-requests.ts): each answered as
 * the MCP spec says (an HTTP 4xx, a JSON-RPC error, or a tool error result), with a message, never a 5xx;
 * the endpoint still lists its tools afterwards, in process and over a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BadMcpRequest, badMcpRequests, MCP_HEADERS } from '../../test/bad-mcp-requests.ts';
import { signature } from '../../test/bad-request-check.ts';
import { addTool, bearerUser } from '../../test/fixtures.ts';
import { type ListeningServer, listen } from '../../test/listening-server.ts';
import { serveMcp } from './mcp-routes.ts';

const app = serveMcp({ tools: [addTool], getUser: bearerUser });

interface McpAnswer {
  error?: { code?: unknown; message?: unknown };
  result?: { isError?: boolean; content?: Array<{ type: string; text?: string }> };
}

/** What is wrong with the answer to a bad request ('' when it is right). */
async function problemWith(request: BadMcpRequest, response: Response): Promise<string> {
  const where = `${request.method} [${request.label}]`;
  const text = await response.text();
  if (response.status !== request.status)
    return `${where}: ${response.status} instead of ${request.status}: ${text.slice(0, 200)}`;
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json'))
    return `${where}: not JSON: ${text.slice(0, 100)}`;
  const body = JSON.parse(text) as McpAnswer;
  if (request.toolError) {
    const message = body.result?.content?.[0]?.text ?? '';
    if (body.result?.isError !== true || message.trim() === '')
      return `${where}: not a tool error: ${text.slice(0, 200)}`;
    return request.names && !message.includes(request.names)
      ? `${where}: does not name ${request.names}: ${message}`
      : '';
  }
  const message = body.error?.message;
  if (typeof message !== 'string' || message.trim() === '') return `${where}: no error message: ${text}`;
  if (request.rpcError && !request.rpcError.includes(body.error?.code as number))
    return `${where}: JSON-RPC error ${String(body.error?.code)} instead of ${request.rpcError}: ${message}`;
  if (request.names && !message.includes(request.names)) return `${where}: does not name ${request.names}`;
  return '';
}

async function problems(send: (request: BadMcpRequest) => Promise<Response>, list: BadMcpRequest[]) {
  const found: string[] = [];
  for (const request of list) {
    const problem = await problemWith(request, await send(request));
    if (problem) found.push(problem);
  }
  return found;
}

async function listsTools(fetcher: (init: RequestInit) => Promise<Response>): Promise<void> {
  const response = await fetcher({
    method: 'POST',
    headers: MCP_HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ id: 9, result: { tools: [{ name: 'add' }] } });
  const called = await fetcher({
    method: 'POST',
    headers: MCP_HEADERS,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 10,
      method: 'tools/call',
      params: { name: 'add', arguments: { a: 2, b: 3 } },
    }),
  });
  expect(await called.json()).toMatchObject({ id: 10, result: { content: [{ type: 'text', text: '5' }] } });
}

const init = (request: BadMcpRequest): RequestInit => ({
  method: request.method,
  headers: request.headers,
  ...(request.body === undefined ? {} : { body: request.body }),
});

describe('bad MCP requests', () => {
  it('answers 100 bad requests as the MCP spec says, never 5xx, then still lists its tools', async () => {
    const list = badMcpRequests();
    expect(list.length).toBeGreaterThanOrEqual(100);
    expect(new Set(list.map(signature)).size).toBe(list.length);
    expect(await problems(async (request) => app.request(request.path, init(request)), list)).toEqual([]);
    await listsTools(async (request) => app.request('/mcp', request));
  });

  describe('over a real server', () => {
    let server: ListeningServer;
    beforeAll(async () => {
      server = await listen(app);
    });
    afterAll(async () => {
      await server.close();
    });

    it('answers a sample of them the same way and stays up', async () => {
      const sample = badMcpRequests().filter((_, index) => index % 5 === 0);
      expect(
        await problems((request) => fetch(`${server.url}${request.path}`, init(request)), sample),
      ).toEqual([]);
      await listsTools((request) => fetch(`${server.url}/mcp`, request));
    });
  });
});
