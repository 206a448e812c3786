/**
 * A server measured by agents-vs-bare.ts, each in its own process (the load generator runs in the parent):
 *
 *   node bench/serve/server.ts bare
 *   node bench/serve/server.ts serve <collector-url> <sessions.db> [<serve index.ts>]
 *
 * `bare`: a Hono JSON route on @hono/node-server that parses the body and answers JSON (the anchor).
 * `serve`: `serveAgents()` with an agent on the demo model (offline, deterministic), a bearer `getUser`,
 * `sqliteSessions(<sessions.db>)` (every run stores its turn), and tracking on: a real Tracker sending to
 * the collector (runs are conversations, `instrumentAgents` traces their steps).
 * The optional last argument serves with another copy of @sightline/serve's sources (a baseline to compare
 * with in the same run; see agents-vs-bare.ts --baseline). Prints its URL; when stdin closes, flushes the tracker, prints one JSON line of counters and exits.
 */
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { Agent, tool } from '@openai/agents';
import { closeSessionDatabases, demoModel, instrumentAgents } from '@sightline/agents';
import type * as Serve from '@sightline/serve';
import { createTracker, type Tracker } from '@sightline/tracker';
import { Hono } from 'hono';
import { z } from 'zod';

const [variant, collectorUrl, sessionsFile, serveSources] = process.argv.slice(2);
const { serveAgents, sqliteSessions }: typeof Serve = await import(
  serveSources ? resolve(serveSources) : '@sightline/serve'
);

function bareApp(): Hono {
  const app = new Hono();
  app.post('/agents/:name/runs', async (c) => {
    const body = (await c.req.json()) as { input?: unknown };
    return c.json({
      runId: crypto.randomUUID(),
      agent: c.req.param('name'),
      status: 'completed',
      output: `echo: ${String(body.input)}`,
    });
  });
  return app;
}

function assistant(): Agent {
  const calculate = tool({
    name: 'calculate',
    description: 'Evaluate an arithmetic expression with + - * /.',
    parameters: z.object({ expression: z.string() }),
    execute: async ({ expression }) => {
      const [a, op, b] = expression.split(/\s*([-+*/])\s*/);
      const [x, y] = [Number(a), Number(b)];
      return String(op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);
    },
  });
  return new Agent({
    name: 'assistant',
    instructions: 'Answer briefly; use the calculate tool for arithmetic.',
    model: demoModel(),
    tools: [calculate],
  });
}

const sessions = variant === 'serve' ? sqliteSessions(sessionsFile as string) : undefined;

function servedApp(tracker: Tracker) {
  instrumentAgents(tracker);
  return serveAgents({
    agents: [assistant()],
    sessions: sessions as Serve.SessionStore,
    tracker,
    getUser: (request) =>
      request.headers.get('authorization') === 'Bearer bench-token' ? { id: 'bench-user' } : undefined,
  });
}

const tracker =
  variant === 'serve'
    ? createTracker({
        endpoint: collectorUrl as string,
        apiKey: 'sl_ingest_bench',
        exitHooks: false,
        ...(process.env.BATCH ? { batchSize: Number(process.env.BATCH) } : {}),
      })
    : undefined;
const router = tracker ? servedApp(tracker) : undefined;
const app = router ?? bareApp();
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`http://127.0.0.1:${info.port}\n`);
});

// How long the event loop was blocked (a long task delays every request in flight: p99 latency).
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

process.stdin.resume();
process.stdin.on('end', async () => {
  server.close();
  loopDelay.disable();
  const delayMs = (value: number) => Math.round(value / 1e4) / 100;
  let counters: Record<string, unknown> = {
    variant,
    loopDelayMs: {
      p50: delayMs(loopDelay.percentile(50)),
      p99: delayMs(loopDelay.percentile(99)),
      max: delayMs(loopDelay.max),
    },
  };
  await router?.close();
  if (tracker) {
    const flushed = await tracker.flush({ timeoutMs: 30_000 });
    const stats = tracker.stats();
    counters = {
      ...counters,
      trackerTracked: stats.tracked,
      trackerSent: stats.sent,
      trackerFailed: stats.failed,
      trackerDropped: stats.dropped,
      lastFlushOk: flushed.ok,
      // Turns stored and the SQLite transactions they took (group commit).
      sessionCommits: (sessions as Partial<Serve.SqliteSessionStore> | undefined)?.commitStats,
    };
    await tracker.shutdown();
    closeSessionDatabases();
  }
  process.stdout.write(`${JSON.stringify(counters)}\n`);
  process.exit(0);
});
