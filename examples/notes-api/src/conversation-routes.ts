/**
 * The caller's conversations, read back from the sessions the served agent writes: `GET /conversations`
 * (most recent first) and `GET /conversations/:id` (the transcript: messages and tool calls). Users only
 * ever see their own: sessions are partitioned by user id.
 */
import type { AgentInputItem } from '@openai/agents';
import { type SqliteDatabase, SqliteSession } from '@sightline/agents';
import { errorBodyOf, ServeError, type SessionStore, statusOf } from '@sightline/serve';
import { Hono } from 'hono';
import type { NotesUser } from './note-tools.ts';

/** One line of a transcript. */
export type TranscriptEntry =
  | { role: 'user' | 'assistant' | 'system'; text: string }
  | { tool: string; arguments: string }
  | { toolOutput: string };

export interface ConversationRoutesOptions {
  db: SqliteDatabase;
  sessions: SessionStore;
  getUser: (request: Request) => NotesUser | undefined;
}

/** The conversation routes. */
export function conversationRoutes(options: ConversationRoutesOptions): Hono {
  const app = new Hono();
  app.onError((error, c) => c.json(errorBodyOf(error), statusOf(error)));
  const userOf = (request: Request): NotesUser => {
    const user = options.getUser(request);
    if (!user) throw new ServeError('unauthorized', 'send Authorization: Bearer <token>');
    return user;
  };

  app.get('/conversations', async (c) => {
    const user = userOf(c.req.raw);
    return c.json({ conversations: await SqliteSession.listSessions(options.db, { userId: user.userId }) });
  });

  app.get('/conversations/:id', async (c) => {
    const user = userOf(c.req.raw);
    const id = c.req.param('id');
    const items = await options.sessions.session(id, user.userId).getItems();
    if (items.length === 0) throw new ServeError('not_found', `you have no conversation "${id}"`);
    return c.json({ conversationId: id, transcript: items.flatMap(entryOf) });
  });
  return app;
}

function entryOf(item: AgentInputItem): TranscriptEntry[] {
  if (item.type === 'function_call') return [{ tool: item.name, arguments: item.arguments }];
  if (item.type === 'function_call_result') return [{ toolOutput: textOf(item.output) }];
  if ((item.type === 'message' || item.type === undefined) && 'role' in item) {
    return [{ role: item.role, text: textOf(item.content) }];
  }
  return [];
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(textOf).join('');
  if (content && typeof content === 'object') {
    const part = content as { text?: unknown; type?: unknown };
    if (typeof part.text === 'string') return part.text;
    if (part.type === 'refusal' && 'refusal' in part) return String(part.refusal);
  }
  return '';
}
