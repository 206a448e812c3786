/**
 * A server measured by the bench/serve scripts, each in its own process (the load generator runs in the
 * parent):
 *
 *   node bench/serve/server.ts bare
 *   node bench/serve/server.ts hand
 *   node bench/serve/server.ts serve --sessions memory|<sessions.db>|postgres://… [--collector <url>]
 *        [--nats <url> --nats-stream <name> --nats-prefix <subjects>] [--name <pg application_name>]
 *        [--serve-sources <a copy of packages/serve/src>/index.ts]
 *        [--agents-sources <the copy of packages/agents/src that serve copy imports>/index.ts]
 *
 * `bare`: a Hono JSON route on @hono/node-server that parses the body and answers JSON.
 * `hand`: the hand-written agent route (hand-written-route.ts): Hono + `run()` with a MemorySession.
 * `serve`: `serveAgents()` in one of the configurations of served-app.ts.
 * Every variant also answers `GET /bench/cpu` with `{ cpuUs, runs }`: the CPU time this process used so
 * far (user + system, µs) and how many `POST …/runs` it answered 200, so the parent measures CPU per run.
 * Prints its URL; when stdin closes, prints one JSON line of counters and exits.
 */
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { handWrittenApp } from './hand-written-route.ts';
import { servedApp } from './served-app.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sessions: { type: 'string', default: 'memory' },
    collector: { type: 'string' },
    nats: { type: 'string' },
    'nats-stream': { type: 'string', default: 'SIGHTLINE_RUNS' },
    'nats-prefix': { type: 'string', default: 'sightline.runs' },
    name: { type: 'string' },
    'serve-sources': { type: 'string' },
    'agents-sources': { type: 'string' },
  },
});
const variant = positionals[0] ?? 'serve';

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

const served =
  variant === 'serve'
    ? await servedApp({
        sessions: values.sessions,
        collector: values.collector,
        nats: values.nats
          ? { url: values.nats, stream: values['nats-stream'], subjectPrefix: values['nats-prefix'] }
          : undefined,
        applicationName: values.name,
        serveSources: values['serve-sources'],
        agentsSources: values['agents-sources'],
      })
    : undefined;
const inner = served ?? (variant === 'hand' ? handWrittenApp() : bareApp());

let runs = 0;
async function fetch(request: Request, env?: unknown): Promise<Response> {
  if (request.method === 'GET' && request.url.endsWith('/bench/cpu')) {
    const { user, system } = process.cpuUsage();
    return Response.json({ cpuUs: user + system, runs });
  }
  const response = await inner.fetch(request, env);
  if (response.status === 200 && request.method === 'POST') runs += 1;
  return response;
}

const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
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
    variant: variant === 'serve' ? `serve ${values.sessions.replace(/\/\/[^@]*@/, '//')}` : variant,
    runs,
    loopDelayMs: {
      p50: delayMs(loopDelay.percentile(50)),
      p99: delayMs(loopDelay.percentile(99)),
      max: delayMs(loopDelay.max),
    },
  };
  if (served) counters = { ...counters, ...(await served.close()) };
  process.stdout.write(`${JSON.stringify(counters)}\n`);
  process.exit(0);
});
