/**
 * Tool calls served over MCP, tracked: each `tools/call` becomes a finished `tool` step (arguments,
 * result, duration, error) in a conversation with source `mcp` and the caller as customer. MCP has no
 * conversation of its own: a client may name one in the call's `_meta.conversationId` (tracked as the
 * caller's own, `<user>:<id>`, like agent runs); otherwise the calls of one user on one day share a
 * conversation (`<user>:mcp-<yyyy-mm-dd>`), or `conversationId` decides.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Tracker } from '@sightline/tracker';
import { idSchema } from '../agents/chat-request.ts';
import { trackedConversationId } from '../sessions/tracked-conversation.ts';

/** What decides the conversation of a tracked call. */
export interface McpCallOrigin {
  /** The caller's stable id ('' when anonymous). */
  userId: string;
  /** The call's `_meta`, as the client sent it. */
  meta: Record<string, unknown> | undefined;
  request: Request;
}

export interface McpTrackingOptions {
  tracker: Tracker | false | undefined;
  conversationId: ((origin: McpCallOrigin) => string) | undefined;
}

/** One finished tool call to track. */
export interface McpCall {
  origin: McpCallOrigin;
  name: string;
  arguments: unknown;
  result: CallToolResult;
  startedAt: Date;
  requestId: string | number;
}

/**
 * The default conversation of a call, always the caller's own: the client's `_meta.conversationId`, else
 * the user's day (`mcp-anonymous-<day>` without getUser).
 */
export function defaultMcpConversation({ userId, meta }: McpCallOrigin): string {
  const named = meta?.conversationId;
  if (typeof named === 'string' && idSchema.safeParse(named).success && named.trim() !== '') {
    return trackedConversationId(userId, named);
  }
  const day = new Date().toISOString().slice(0, 10);
  return userId === '' ? `mcp-anonymous-${day}` : trackedConversationId(userId, `mcp-${day}`);
}

/** Records a served call as a tool step; a no-op without a tracker. Never throws into the call. */
export function trackMcpCall(options: McpTrackingOptions, call: McpCall): void {
  const { tracker } = options;
  if (!tracker) return;
  try {
    const id = (options.conversationId ?? defaultMcpConversation)(call.origin);
    const { userId } = call.origin;
    const text = call.result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
    tracker.conversation(id, { source: 'mcp', ...(userId ? { customerId: userId } : {}) }).trackAction({
      type: 'tool',
      name: call.name,
      input: call.arguments,
      response: call.result.structuredContent ?? text,
      ...(call.result.isError ? { error: text || 'tool error' } : {}),
      toolsUsed: [call.name],
      startedAt: call.startedAt,
      endedAt: new Date(),
      parentId: null,
      metadata: { mcpRequestId: call.requestId },
    });
  } catch {
    // Tracking never changes a call's answer (the tracker counts what it could not record).
  }
}
