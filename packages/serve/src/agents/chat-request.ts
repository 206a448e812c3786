/**
 * The two bodies `POST /agents/:name/runs` takes: Sightline's own (`{ input, conversationId?, customerId?,
 * context? }`) and the one the AI SDK's `DefaultChatTransport` (`useChat`) sends (`{ id, messages, trigger }`),
 * where the chat id is the conversation, the last user message is the input (the session holds the
 * history), and a last assistant message carrying approval responses answers a paused run.
 */
import type { AgentInputItem } from '@openai/agents-core';
import { idString, LIMITS } from '@sightline/core';
import { parseWith } from '@sightline/core/http';
import { z } from 'zod';
import { ServeError } from '../errors.ts';
import { toInputItems } from './input-items.ts';

/**
 * A conversation, customer or run id: the collector's own id rule (1..256 printable characters, well-formed
 * Unicode, not `.` or `..`), so every id a served run is given can also be tracked and read back.
 */
export const idSchema = idString;

const messageSchema = z.object({
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.string().max(LIMITS.maxContentLength, `must be at most ${LIMITS.maxContentLength} characters`),
});

const runBodySchemas = new Map<number, ReturnType<typeof buildRunBodySchema>>();

/**
 * Sightline's run body, built once per input limit (zod compiles a schema on its first parse: building
 * it for every request cost more than the parse itself).
 */
export function runBodySchema(maxInputChars: number) {
  let schema = runBodySchemas.get(maxInputChars);
  if (!schema) {
    schema = buildRunBodySchema(maxInputChars);
    runBodySchemas.set(maxInputChars, schema);
  }
  return schema;
}

function buildRunBodySchema(maxInputChars: number) {
  return z.strictObject({
    input: z.union(
      [
        z
          .string()
          .min(1, 'must not be empty')
          .max(maxInputChars, `must be at most ${maxInputChars} characters`),
        z
          .array(messageSchema)
          .min(1, 'must hold at least one message')
          .max(500, 'must hold at most 500 messages'),
      ],
      { error: 'must be a string or an array of { role, content } messages' },
    ),
    conversationId: idSchema.optional(),
    customerId: idSchema.optional(),
    context: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  });
}

const uiPartSchema = z.looseObject({ type: z.string() });
const uiMessageSchema = z.looseObject({
  id: z.string().optional(),
  role: z.enum(['system', 'user', 'assistant']),
  parts: z.array(uiPartSchema).max(1000),
});

/** The AI SDK chat transport's body. */
export const chatTransportBodySchema = z.looseObject({
  id: idSchema,
  messages: z.array(uiMessageSchema).min(1, 'must hold at least one message').max(10_000),
  trigger: z.string().optional(),
  messageId: z.string().optional(),
  context: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
});

/** What a run request asks, whichever body it came in. */
export type RunRequest =
  | {
      kind: 'run';
      input: string | AgentInputItem[];
      conversationId: string | undefined;
      customerId: string | undefined;
      context: Record<string, unknown> | undefined;
      /** The AI SDK transport always reads a stream. */
      streamByDefault: boolean;
      /** Regenerate (`trigger: 'regenerate-message'`): the user messages the conversation keeps first. */
      keepUserTurns?: number | undefined;
    }
  | {
      kind: 'approvals';
      conversationId: string;
      decisions: Array<{ approvalId: string; approved: boolean; message?: string }>;
      context: Record<string, unknown> | undefined;
    };

/** Parses either body into a run request (400 naming the field when it is neither). */
export function parseRunRequest(body: unknown, maxInputChars: number): RunRequest {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'messages' in body) {
    return fromChatTransport(parseWith(chatTransportBodySchema, body), maxInputChars);
  }
  const parsed = parseWith(runBodySchema(maxInputChars), body);
  return {
    kind: 'run',
    input: typeof parsed.input === 'string' ? parsed.input : toInputItems(parsed.input),
    conversationId: parsed.conversationId,
    customerId: parsed.customerId,
    context: parsed.context,
    streamByDefault: false,
  };
}

function fromChatTransport(body: z.infer<typeof chatTransportBodySchema>, maxInputChars: number): RunRequest {
  const last = body.messages.at(-1);
  if (last?.role === 'assistant') {
    const decisions = last.parts.flatMap((part) => {
      const approval = (
        part as { state?: string; approval?: { id?: unknown; approved?: unknown; reason?: unknown } }
      ).approval;
      if ((part as { state?: string }).state !== 'approval-responded' || !approval) return [];
      if (typeof approval.id !== 'string' || typeof approval.approved !== 'boolean') return [];
      return [
        {
          approvalId: approval.id,
          approved: approval.approved,
          ...(typeof approval.reason === 'string' ? { message: approval.reason } : {}),
        },
      ];
    });
    if (decisions.length === 0) {
      throw new ServeError(
        'invalid_request',
        'the last message must be the user’s (or carry approval responses)',
        {
          issues: [{ path: `messages.${body.messages.length - 1}.role`, message: 'must be "user"' }],
        },
      );
    }
    return { kind: 'approvals', conversationId: body.id, decisions, context: body.context };
  }
  const index = body.messages.length - 1;
  const text = (last?.parts ?? [])
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
  if (last?.role !== 'user' || text.trim() === '') {
    throw new ServeError('invalid_request', 'the last message must be a user message with text', {
      issues: [{ path: `messages.${index}.parts`, message: 'must hold a non-empty text part' }],
    });
  }
  if (text.length > maxInputChars) {
    throw new ServeError('invalid_request', `the message must be at most ${maxInputChars} characters`, {
      issues: [{ path: `messages.${index}.parts`, message: `must be at most ${maxInputChars} characters` }],
    });
  }
  return {
    kind: 'run',
    input: text,
    conversationId: body.id,
    customerId: undefined,
    context: body.context,
    streamByDefault: true,
    // useChat's regenerate() sends the history up to the user message to answer again: the stored
    // conversation drops the turns after the ones the client still shows.
    ...(body.trigger === 'regenerate-message'
      ? { keepUserTurns: body.messages.filter((message) => message.role === 'user').length - 1 }
      : {}),
  };
}
