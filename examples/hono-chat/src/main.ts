/**
 * Runs the Hono chat example.
 *
 *   node examples/hono-chat/src/main.ts          # PORT=3001
 *
 * The model: OPENAI_API_KEY (+ OPENAI_BASE_URL for a compatible server), else a local fake OpenAI
 * server (deterministic, offline). Tracking goes where `tracker` points: SIGHTLINE_API_KEY /
 * SIGHTLINE_ENDPOINT, or the credentials `sightline start` wrote in .sightline/.
 */
import { serve } from '@hono/node-server';
import { tracker } from '@sightline/tracker';
import { instrumentOpenAI } from '@sightline/tracker/openai';
import { startFakeOpenAI } from '@sightline/tracker/testing';
import OpenAI from 'openai';
import { createChatApp } from './app.ts';

const port = Number(process.env.PORT ?? 3001);
const fake = process.env.OPENAI_API_KEY ? undefined : await startFakeOpenAI();
const openai = instrumentOpenAI(
  new OpenAI({
    apiKey: process.env.OPENAI_API_KEY ?? 'sk-fake',
    ...(fake
      ? { baseURL: fake.baseURL }
      : process.env.OPENAI_BASE_URL
        ? { baseURL: process.env.OPENAI_BASE_URL }
        : {}),
  }),
);
const app = createChatApp({ tracker, openai });
const server = serve({ fetch: app.fetch, port }, () => {
  console.error(
    `hono-chat on http://localhost:${port} (${fake ? `fake OpenAI at ${fake.baseURL}` : 'OpenAI'})`,
  );
});

process.on('SIGTERM', () => {
  server.close();
  void Promise.all([tracker.shutdown(), fake?.stop()]).then(() => process.exit(0));
});
