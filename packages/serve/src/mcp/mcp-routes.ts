/**
 * `serveMcp()`: function tools as an MCP server over Streamable HTTP (the official SDK's transport), as a
 * Hono router mounted at `/mcp` by default. Stateless: every POST is answered by a fresh server bound to
 * the caller, so any node can answer any request. The auth hook runs first (401 without a user) and the
 * user is the tools' run context, as for served agents.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  InitializeRequestSchema,
  LATEST_PROTOCOL_VERSION,
  ListToolsRequestSchema,
  McpError,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import type { Tool } from '@openai/agents-core';
import { DEFAULT_MAX_BODY_BYTES, errorHandler } from '@sightline/core/http';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type ServeEnv, type ServeHooks, userMiddleware } from '../http/serve-hooks.ts';
import { type AnyFunctionTool, type McpApprovalPolicy, McpToolset } from './mcp-tools.ts';
import { type McpCallOrigin, trackMcpCall } from './mcp-tracking.ts';

export interface ServeMcpOptions<TUser = unknown>
  extends Pick<ServeHooks<TUser>, 'getUser' | 'userId' | 'context' | 'maxBodyBytes' | 'tracker'> {
  /** The function tools to serve (`tool({...})`, or an agent's `tools`); other tool kinds are refused. */
  tools: ReadonlyArray<Tool<never> | AnyFunctionTool>;
  /** Server name announced to clients (default `sightline`). */
  name?: string;
  /** Server version announced to clients (default `0.1.0`). */
  version?: string;
  /** Instructions announced to clients, for their model. */
  instructions?: string;
  /** Where the endpoint is mounted in the router (default `/mcp`). */
  path?: string;
  /**
   * Calls of tools whose `needsApproval` asks for a person: `refuse` (default) answers a tool error;
   * `allow` runs them, trusting the MCP client to have asked its user.
   */
  approvals?: McpApprovalPolicy;
  /**
   * The conversation a call is tracked in (with `tracker`): default the caller's own conversation of the
   * call's `_meta.conversationId` (`<user>:<id>`), else one per user and day (`<user>:mcp-<yyyy-mm-dd>`).
   * What it returns is used as is: partition a client-chosen id with `trackedConversationId(userId, id)`.
   */
  conversationId?: (origin: McpCallOrigin) => string;
  /**
   * The URL of this endpoint's OAuth Protected Resource Metadata (RFC 9728), when you publish one: a 401
   * then names it (`WWW-Authenticate: Bearer realm=..., resource_metadata="..."`), as the MCP authorization
   * spec asks, so OAuth-capable clients can discover the authorization server.
   */
  resourceMetadataUrl?: string;
}

/** A Hono router serving the MCP endpoint. */
export type McpRouter = Hono<ServeEnv>;

/** The MCP endpoint for `tools`, with the auth hook applied. */
export function serveMcp<TUser = unknown>(options: ServeMcpOptions<TUser>): McpRouter {
  const toolset = new McpToolset(options.tools, options.approvals);
  const tracking = { tracker: options.tracker, conversationId: options.conversationId };
  const path = options.path ?? '/mcp';
  const info = { name: options.name ?? 'sightline', version: options.version ?? '0.1.0' };
  const app = new Hono<ServeEnv>();
  const challenge = bearerChallenge(info.name, options.resourceMetadataUrl);
  // RFC 9110 and the MCP authorization spec: a 401 says how to authenticate.
  app.onError(
    errorHandler({ headers: (status) => (status === 401 ? { 'www-authenticate': challenge } : undefined) }),
  );
  app.use(path, userMiddleware(options));

  app.post(path, async (c) => {
    const context = await contextOf(c, options);
    const capabilities = { tools: { listChanged: false } };
    const server = new Server(info, {
      capabilities,
      ...(options.instructions ? { instructions: options.instructions } : {}),
    });
    // Registered by method only and validated here: the SDK's own check of the params answers a malformed
    // request as -32603 Internal error with a zod dump, where the client's mistake is -32602 Invalid params.
    // `initialize` replaces the SDK's handler with the same answer (stateless: nothing to remember).
    server.setRequestHandler(methodOnly('initialize'), (request) => {
      const { params } = validParams(InitializeRequestSchema, request);
      const asked = params.protocolVersion;
      return {
        protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(asked) ? asked : LATEST_PROTOCOL_VERSION,
        capabilities,
        serverInfo: info,
        ...(options.instructions ? { instructions: options.instructions } : {}),
      };
    });
    server.setRequestHandler(methodOnly('tools/list'), async (request) => {
      validParams(ListToolsRequestSchema, request);
      return { tools: await toolset.list(context) };
    });
    server.setRequestHandler(methodOnly('tools/call'), async (request, extra) => {
      const { params } = validParams(CallToolRequestSchema, request);
      // The arguments as sent: the validated copy silently drops a `__proto__` key the toolset refuses.
      const sent = (request.params as { arguments?: Record<string, unknown> } | undefined)?.arguments;
      const startedAt = new Date();
      const result = await toolset.call({
        name: params.name,
        arguments: sent ?? params.arguments,
        context,
        signal: AbortSignal.any([extra.signal, c.req.raw.signal]),
        requestId: extra.requestId,
      });
      const origin = { userId: c.get('caller').userId, meta: params._meta, request: c.req.raw };
      const call = { origin, name: params.name, arguments: sent ?? params.arguments, result, startedAt };
      trackMcpCall(tracking, { ...call, requestId: extra.requestId });
      return result;
    });
    // No session id generator: stateless, one transport per request; JSON answers rather than SSE.
    const transport = new WebStandardStreamableHTTPServerTransport({
      enableJsonResponse: true,
      maxRequestBodySize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });

  // A stateless server has no stream to open (GET) and no session to end (DELETE); nothing else is served.
  app.on(['GET', 'DELETE', 'PUT', 'PATCH'], path, (c) =>
    c.json(
      {
        jsonrpc: '2.0',
        error: {
          code: -32000,
          message: `${c.req.method} is not supported: this MCP endpoint is stateless; send JSON-RPC with POST`,
        },
        id: null,
      },
      405,
      { allow: 'POST' },
    ),
  );
  return app;
}

/** The `WWW-Authenticate` value of a 401: a Bearer challenge, with the resource metadata when known. */
function bearerChallenge(realm: string, resourceMetadataUrl: string | undefined): string {
  const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;
  const metadata = resourceMetadataUrl ? `, resource_metadata=${quoted(resourceMetadataUrl)}` : '';
  return `Bearer realm=${quoted(realm)}${metadata}`;
}

/** A request schema that only names the method (the handler validates the params). */
function methodOnly<M extends string>(method: M) {
  return z.looseObject({ method: z.literal(method) });
}

/** The request checked against its MCP schema; a mistake is a -32602 Invalid params error naming the field. */
function validParams<T>(schema: z.ZodType<T>, request: unknown): T {
  const parsed = schema.safeParse(request);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`);
  throw new McpError(ErrorCode.InvalidParams, `invalid params: ${issues.join('; ')}`);
}

/** The tools' run context: what the `context` hook makes of the user, else the user itself. */
async function contextOf<TUser>(c: Context<ServeEnv>, hooks: ServeHooks<TUser>): Promise<unknown> {
  const { user } = c.get('caller');
  if (hooks.context)
    return hooks.context({ user: user as TUser | undefined, request: c.req.raw, context: undefined });
  return user ?? {};
}
