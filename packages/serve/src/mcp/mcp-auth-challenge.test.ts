/**
 * A 401 from the MCP endpoint says how to authenticate (RFC 9110; the MCP authorization spec asks MCP
 * servers to answer 401 with `WWW-Authenticate`, naming the Protected Resource Metadata when there is one).
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { MCP_HEADERS } from '../../test/bad-mcp-requests.ts';
import { addTool, bearerUser } from '../../test/fixtures.ts';
import { ServeError } from '../errors.ts';
import { serveMcp } from './mcp-routes.ts';

const listTools = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

function post(app: Pick<Hono, 'request'>, headers: Record<string, string>) {
  return app.request('/mcp', { method: 'POST', headers, body: listTools });
}

const { authorization: _alice, ...anonymousHeaders } = MCP_HEADERS;

describe('MCP 401 challenge', () => {
  it('answers a caller without a user with 401 and WWW-Authenticate: Bearer', async () => {
    const app = serveMcp({ tools: [addTool], getUser: bearerUser });
    for (const headers of [anonymousHeaders, { ...MCP_HEADERS, authorization: 'Bearer wrong-token' }]) {
      const response = await post(app, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="sightline"');
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect((await post(app, MCP_HEADERS)).headers.get('www-authenticate')).toBeNull();
  });

  it('names the resource metadata when given, also mounted in another app', async () => {
    const mcp = serveMcp({
      tools: [addTool],
      getUser: bearerUser,
      name: 'notes "beta"',
      resourceMetadataUrl: 'https://api.example.com/.well-known/oauth-protected-resource/mcp',
    });
    const app = new Hono().route('/', mcp);
    const response = await post(app, anonymousHeaders);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="notes \\"beta\\"", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('sends no challenge with other refusals (a 403 from getUser)', async () => {
    const app = serveMcp({
      tools: [addTool],
      getUser: () => {
        throw new ServeError('forbidden', 'suspended');
      },
    });
    const response = await post(app, MCP_HEADERS);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });
});
