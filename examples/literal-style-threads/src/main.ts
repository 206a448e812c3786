/**
 * Runs the thread-monitoring example.
 *
 *   node examples/literal-style-threads/src/main.ts     # PORT=3003
 *
 * The model: OPENAI_API_KEY (+ OPENAI_BASE_URL), else a local fake OpenAI server. Tracking goes
 * where `tracker` points: SIGHTLINE_API_KEY / SIGHTLINE_ENDPOINT, or `sightline start`'s credentials.
 */
import { serve } from '@hono/node-server';
import { tracker } from '@sightline/tracker';
import { instrumentOpenAI } from '@sightline/tracker/openai';
import { startFakeOpenAI } from '@sightline/tracker/testing';
import OpenAI from 'openai';
import { createThreadsApp } from './app.ts';

const port = Number(process.env.PORT ?? 3003);
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
const app = createThreadsApp({ tracker, openai });
const server = serve({ fetch: app.fetch, port }, () => {
  console.error(
    `literal-style-threads on http://localhost:${port} (${fake ? `fake OpenAI at ${fake.baseURL}` : 'OpenAI'})`,
  );
});

process.on('SIGTERM', () => {
  server.close();
  void Promise.all([tracker.shutdown(), fake?.stop()]).then(() => process.exit(0));
});
