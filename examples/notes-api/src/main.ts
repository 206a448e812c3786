/**
 * Runs the notes API: `node examples/notes-api/src/main.ts` (PORT, default 3005; NOTES_DB, default
 * `conversations.db`). OpenAI when OPENAI_API_KEY is set, else the offline demo model. Every run is traced
 * into Sightline when a collector is configured (SIGHTLINE_ENDPOINT / SIGHTLINE_API_KEY, or
 * `.sightline/credentials.json` written by `sightline start`).
 */
import { chooseModel, closeSessionDatabases, instrumentAgents } from '@sightline/agents';
import { listenNode } from '@sightline/serve/node';
import { tracker } from '@sightline/tracker';
import { createNotesApi } from './app.ts';

const choice = chooseModel();
instrumentAgents(tracker);
const api = createNotesApi({
  database: process.env.NOTES_DB ?? 'conversations.db',
  model: choice.model,
  tracker,
});
const server = await listenNode(api.app, { port: Number(process.env.PORT ?? 3005) });
console.log(`notes API on ${server.url} with ${choice.description}`);
console.log('users: Authorization: Bearer alice-token | Bearer bob-token; MCP at /mcp');

async function shutdown(): Promise<void> {
  await server.close();
  await api.close();
  await tracker.shutdown({ timeoutMs: 2_000 });
  closeSessionDatabases();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
