/**
 * The seed's FastAPI app with @sightline/serve: one Hono app serving
 * - the notes agent: `POST /agents/notes/runs` (JSON, or SSE with `Accept: text/event-stream`), resumable
 *   streams, cancel, `GET /agents` discovery, and `POST /v1/chat/completions`;
 * - the same notes tools as an MCP server at `/mcp` (Streamable HTTP);
 * - the caller's conversations at `/conversations`.
 * Conversations and notes live in one SQLite file, so both survive a restart. `getUser` resolves the
 * bearer token on every route (401 otherwise) and the user is the tools' run context.
 */
import type { Model } from '@openai/agents';
import { openSessionDatabase } from '@sightline/agents';
import { type AgentsRouter, serveAgents, serveMcp, sqliteSessions } from '@sightline/serve';
import type { Tracker } from '@sightline/tracker';
import { Hono } from 'hono';
import { conversationRoutes } from './conversation-routes.ts';
import { NoteStore } from './note-store.ts';
import { type NotesUser, noteTools } from './note-tools.ts';
import { createNotesAgent } from './notes-agent.ts';
import { bearerUsers, DEMO_USERS } from './users.ts';

export interface NotesApiOptions {
  /** The SQLite file of conversations and notes (e.g. `conversations.db`). */
  database: string;
  /** Default: OpenAI when OPENAI_API_KEY is set, else the offline demo model. */
  model?: Model | string;
  /** Bearer token -> user (default: the two demo users). */
  users?: Record<string, NotesUser>;
  /** Where served runs and MCP tool calls are tracked (default: nothing tracked). */
  tracker?: Tracker | false;
}

export interface NotesApi {
  app: Hono;
  agents: AgentsRouter;
  /** Stops the agent runs in progress (their output is stored). */
  close(): Promise<void>;
}

/** Builds the app on a SQLite file. */
export function createNotesApi(options: NotesApiOptions): NotesApi {
  const db = openSessionDatabase(options.database);
  const tools = noteTools(new NoteStore(db));
  const getUser = bearerUsers(options.users ?? DEMO_USERS);
  const sessions = sqliteSessions(db);
  const agents = serveAgents<NotesUser>({
    agents: { notes: createNotesAgent(tools, options.model) },
    sessions,
    getUser,
    tracker: options.tracker ?? false,
  });
  const app = new Hono();
  app.route('/', agents);
  app.route(
    '/',
    serveMcp<NotesUser>({
      tools,
      getUser,
      name: 'notes',
      version: '0.1.0',
      instructions: "Tools for the caller's notes: add, list and search them.",
      tracker: options.tracker ?? false,
    }),
  );
  app.route('/', conversationRoutes({ db, sessions, getUser }));
  return { app, agents, close: () => agents.close() };
}
