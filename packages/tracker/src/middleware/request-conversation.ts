import { generateConversationId } from '@sightline/core';
import type { TrackedConversation } from '../conversation-handle.ts';
import { tracker as defaultTracker, trackerInstance } from '../default-tracker.ts';
import { describeError, TrackerError } from '../errors.ts';
import type { Tracker } from '../tracker.ts';
import type { ConversationOptions } from '../tracking-options.ts';

/** How the middleware of every framework finds the conversation of a request. `C` is the framework's request context. */
export interface ConversationMiddlewareOptions<C> {
  /** The tracker to record with (default: the exported `tracker`). */
  tracker?: Tracker;
  /** Request header carrying the conversation id (default `x-conversation-id`); false to ignore headers. */
  header?: string | false;
  /** Your own lookup of the conversation id (body field, session...); wins over the header. */
  conversationId?: (context: C) => string | undefined | Promise<string | undefined>;
  /** The customer of the request (e.g. from your auth). */
  customerId?: (context: C) => string | undefined | Promise<string | undefined>;
  /** Other conversation fields (source, device, name, tags...). */
  context?: (context: C) => ConversationOptions | undefined | Promise<ConversationOptions | undefined>;
  /** Start a new conversation (a generated id) when the request names none (default true). */
  generateId?: boolean;
  /** Echo the conversation id in the response header, so the client can continue it (default true). */
  responseHeader?: boolean;
}

export const DEFAULT_CONVERSATION_HEADER = 'x-conversation-id';

/**
 * Resolves the conversation of a request from the options: callback, then header, then a new id.
 * Never throws: a failing callback leaves the request without a conversation (and is reported).
 */
export async function resolveRequestConversation<C>(
  options: ConversationMiddlewareOptions<C>,
  context: C,
  readHeader: (name: string) => string | undefined,
): Promise<TrackedConversation | undefined> {
  const tracker = options.tracker ?? defaultTracker;
  try {
    const header = options.header === false ? undefined : (options.header ?? DEFAULT_CONVERSATION_HEADER);
    const id =
      (await options.conversationId?.(context)) ??
      (header ? readHeader(header) : undefined) ??
      (options.generateId === false ? undefined : generateConversationId());
    if (id === undefined || id === '') return undefined;
    const extra = (await options.context?.(context)) ?? {};
    const customerId = (await options.customerId?.(context)) ?? extra.customerId;
    return tracker.conversation(
      id,
      customerId === undefined ? extra : { ...extra, customerId },
    ) as TrackedConversation;
  } catch (error) {
    // A broken lookup must not break the request: it runs untracked, and the failure is reported.
    trackerInstance(tracker)?.reportError(
      new TrackerError('internal', `conversation middleware: ${describeError(error)}`, { cause: error }),
    );
    return undefined;
  }
}

/** The response header to echo the conversation id in, or undefined when disabled. */
export function responseHeaderName<C>(options: ConversationMiddlewareOptions<C>): string | undefined {
  if (options.responseHeader === false) return undefined;
  return options.header === false
    ? DEFAULT_CONVERSATION_HEADER
    : (options.header ?? DEFAULT_CONVERSATION_HEADER);
}
