/**
 * The seed's chat endpoint logic, framework-free: one durable SQLite session per user, one atomic turn
 * per request (a failed or aborted request leaves the history as it was), user context injected, and
 * guardrail tripwires turned into GuardrailRejectedError (HTTP 400).
 */
import { type Agent, run } from '@openai/agents';
import {
  inConversation,
  type SqliteDatabase,
  SqliteSession,
  toGuardrailError,
  withSessionTurn,
} from '@sightline/agents';
import type { UserContext } from './note-tools.ts';

export interface ChatOptions {
  agent: Agent<UserContext>;
  /** The SQLite file (or open database) holding every user's sessions, e.g. `conversations.db`. */
  database: SqliteDatabase | string;
}

export interface ChatRequest {
  user: UserContext;
  message: string;
  /** The conversation to continue; defaults to the user's id (one conversation per user, as in the seed). */
  sessionId?: string;
}

export interface ChatResponse {
  response: string;
  sessionId: string;
}

/** A user's session: partitioned by user id, so another user's session id never reaches it. */
export function sessionFor(options: ChatOptions, request: ChatRequest): SqliteSession<UserContext> {
  return new SqliteSession<UserContext>(request.sessionId ?? request.user.userId, options.database, {
    userId: request.user.userId,
  });
}

/** Runs one turn of the conversation and answers with the agent's final output. */
export async function chat(options: ChatOptions, request: ChatRequest): Promise<ChatResponse> {
  const session = sessionFor(options, request);
  try {
    const result = await withSessionTurn(session, (turn) =>
      run(options.agent, request.message, { session: turn, context: request.user }),
    );
    return { response: String(result.finalOutput ?? ''), sessionId: await session.getSessionId() };
  } catch (error) {
    throw toGuardrailError(error);
  }
}

export type ChatStreamEvent = { delta: string } | { done: true; final: string; sessionId: string };

/** Streams one turn: text deltas as the model produces them, then the final output; stored when done. */
export async function* chatStream(
  options: ChatOptions,
  request: ChatRequest,
): AsyncGenerator<ChatStreamEvent> {
  const session = sessionFor(options, request);
  const sessionId = await session.getSessionId();
  const turn = session.beginTurn();
  try {
    const result = await inConversation({ conversationId: sessionId, customerId: request.user.userId }, () =>
      run(options.agent, request.message, { session: turn, context: request.user, stream: true }),
    );
    for await (const delta of result.toTextStream()) yield { delta };
    await result.completed;
    if (result.error) throw result.error;
    await turn.commit();
    yield { done: true, final: String(result.finalOutput ?? ''), sessionId };
  } catch (error) {
    turn.discard();
    throw toGuardrailError(error);
  }
}
