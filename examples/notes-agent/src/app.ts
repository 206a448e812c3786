/**
 * The seed's FastAPI app as a Hono app: `POST /chat`, `POST /chat/stream` (SSE), `POST /chat/mcp`
 * (the MCP-tools agent), `GET /sessions`, and the notes MCP server mounted at `/mcp`. The user comes
 * from `Authorization: Bearer <token>`; a guardrail tripwire answers 400, bad input 400 naming the field.
 */
import { run } from '@openai/agents';
import { SqliteSession, withSessionTurn } from '@sightline/agents';
import { type ErrorCode, isSightlineError, toFieldIssues, ValidationError } from '@sightline/core';
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { type ChatOptions, chat, chatStream, sessionFor } from './chat.ts';
import { withNotesMcpAgent } from './mcp-notes-agent.ts';
import type { NoteService } from './note-service.ts';
import type { UserContext } from './note-tools.ts';
import { handleMcpRequest } from './notes-mcp-server.ts';

export interface NotesAppOptions extends ChatOptions {
  service: NoteService;
  /** Maps a bearer token to its user (undefined: 401). */
  authenticate: (token: string) => UserContext | undefined | Promise<UserContext | undefined>;
  /** This app's own MCP URL, for `POST /chat/mcp` (e.g. `http://127.0.0.1:3002/mcp`). */
  mcpUrl?: string;
}

const chatBody = z.object({
  message: z.string().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters'),
  session_id: z.string().min(1).max(256).optional(),
});

const STATUS: Partial<Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 429 | 502 | 503 | 504>> = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  upstream_failed: 502,
  overloaded: 503,
  timeout: 504,
};

type Env = { Variables: { user: UserContext } };

/** Builds the app. */
export function createNotesApp(options: NotesAppOptions): Hono<Env> {
  const app = new Hono<Env>();

  app.onError((error, c) => {
    if (isSightlineError(error)) return c.json(error.toJSON(), STATUS[error.code] ?? 500);
    return c.json({ error: { code: 'internal', message: 'An error occurred processing your request' } }, 500);
  });

  app.use('*', async (c, next) => {
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const user = token ? await options.authenticate(token) : undefined;
    if (!user)
      return c.json({ error: { code: 'unauthorized', message: 'Invalid or missing bearer token' } }, 401);
    c.set('user', user);
    await next();
  });

  app.post('/chat', async (c) => {
    const body = await readBody(c);
    const reply = await chat(options, { user: c.get('user'), message: body.message, ...sessionOf(body) });
    return c.json({ response: reply.response, session_id: reply.sessionId });
  });

  app.post('/chat/stream', async (c) => {
    const body = await readBody(c);
    const events = chatStream(options, { user: c.get('user'), message: body.message, ...sessionOf(body) });
    const first = await events.next(); // a guardrail or input error surfaces here, as a plain 4xx
    return streamSSE(c, async (stream) => {
      let id = 0;
      try {
        for (let next = first; !next.done; next = await events.next()) {
          await stream.writeSSE({ id: String(id++), data: JSON.stringify(next.value) });
        }
      } catch (error) {
        const body = isSightlineError(error)
          ? error.toJSON()
          : { error: { code: 'internal', message: 'stream failed' } };
        await stream.writeSSE({ id: String(id++), event: 'error', data: JSON.stringify(body) });
      }
    });
  });

  app.post('/chat/mcp', async (c) => {
    if (!options.mcpUrl)
      return c.json({ error: { code: 'not_found', message: 'MCP is not configured' } }, 404);
    const body = await readBody(c);
    const user = c.get('user');
    const session = sessionFor(options, { user, message: body.message, ...sessionOf(body) });
    const headers = { authorization: c.req.header('authorization') ?? '' };
    const result = await withNotesMcpAgent({ url: options.mcpUrl, headers }, (agent) =>
      withSessionTurn(session, (turn) => run(agent, body.message, { session: turn, context: user })),
    );
    return c.json({ response: String(result.finalOutput ?? ''), session_id: await session.getSessionId() });
  });

  app.get('/sessions', async (c) => {
    const sessions = await SqliteSession.listSessions(options.database, { userId: c.get('user').userId });
    return c.json({ sessions });
  });

  app.all('/mcp', (c) => handleMcpRequest(options.service, c.get('user').userId, c.req.raw));

  return app;
}

async function readBody(c: Context<Env>): Promise<z.infer<typeof chatBody>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch (cause) {
    throw new ValidationError([{ path: '', message: 'body must be JSON' }], { cause });
  }
  const parsed = chatBody.safeParse(raw);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error.issues));
  return parsed.data;
}

function sessionOf(body: z.infer<typeof chatBody>): { sessionId?: string } {
  return body.session_id ? { sessionId: body.session_id } : {};
}
