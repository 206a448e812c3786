/**
 * Runs the notes app: `node examples/notes-agent/src/main.ts` (PORT, default 3002). Uses OpenAI when
 * OPENAI_API_KEY is set, else the offline demo model; traces every run into Sightline when a collector
 * is configured (SIGHTLINE_ENDPOINT / SIGHTLINE_API_KEY or `.sightline/credentials.json`).
 *
 *   curl -s localhost:3002/chat -H 'authorization: Bearer alice-token' \
 *     -H 'content-type: application/json' -d '{"message":"Create a note titled Groceries: milk"}'
 */
import { serve } from '@hono/node-server';
import { chooseModel, instrumentAgents } from '@sightline/agents';
import { tracker } from '@sightline/tracker';
import { createNotesApp } from './app.ts';
import { NoteService } from './note-service.ts';
import type { UserContext } from './note-tools.ts';
import { createNotesAgent } from './notes-agent.ts';

/** Demo users: token -> user. A real app validates a session cookie or a JWT here. */
const USERS: Record<string, UserContext> = {
  'alice-token': { userId: 'alice', userName: 'Alice' },
  'bob-token': { userId: 'bob', userName: 'Bob' },
};

const port = Number(process.env.PORT ?? 3002);
const choice = chooseModel();
instrumentAgents(tracker);
const service = new NoteService();
const app = createNotesApp({
  agent: createNotesAgent({ service, model: choice.model }),
  database: process.env.NOTES_DB ?? 'conversations.db',
  service,
  authenticate: (token) => USERS[token],
  mcpUrl: `http://127.0.0.1:${port}/mcp`,
});
serve({ fetch: app.fetch, port }, () => {
  console.log(`notes agent on http://127.0.0.1:${port} with ${choice.description}`);
  console.log('users: Bearer alice-token, Bearer bob-token');
});
