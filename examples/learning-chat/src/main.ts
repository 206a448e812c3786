/**
 * Runs the learning chat: `node examples/learning-chat/src/main.ts` (PORT, default 3006). Both agents
 * use OpenAI when OPENAI_API_KEY is set, else the offline demo model. Every run is tracked into
 * Sightline when a collector is configured (SIGHTLINE_ENDPOINT / SIGHTLINE_API_KEY, or the
 * `.sightline/credentials.json` that `sightline start` writes).
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { chooseModel } from '@sightline/agents';
import { tracker } from '@sightline/tracker';
import { createLearningChatApp } from './app.ts';

const port = Number(process.env.PORT ?? 3006);
const choice = chooseModel();
const chat = createLearningChatApp({ model: choice.model, tracker });
const server = serve({ fetch: chat.app.fetch, port }, () => {
  console.log(`learning chat on http://127.0.0.1:${port} with ${choice.description}`);
  console.log(`WebSocket: ws://127.0.0.1:${port}/workflows/learning_chat/ws?token=alice-token`);
  console.log(`terminal client: node examples/learning-chat/src/client.ts ws://127.0.0.1:${port}`);
}) as Server;
chat.injectWebSocket(server);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await chat.close(); // cancels the runs in progress
    await tracker.shutdown({ timeoutMs: 2000 });
    process.exit(0);
  });
}
