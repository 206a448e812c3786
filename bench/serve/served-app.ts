/**
 * The serveAgents configurations bench/serve measures, each as `sightline start` would build it:
 * - `memory`: memorySessions, no tracking, the default in-memory node (the anchor inside serve);
 * - a SQLite file: sqliteSessions + sqliteRuns on that file (one node on one machine);
 * - a postgres:// URL: postgresSessions + postgresRuns on one pool (its `application_name` given, so the
 *   benchmark can find its backends), and with `nats`, a natsBus (several nodes).
 * Tracking on when a collector URL is given: a real Tracker sending to it, `instrumentAgents` tracing runs.
 */
import { resolve } from 'node:path';
import { setTracingDisabled } from '@openai/agents';
import type * as Agents from '@sightline/agents';
import type * as Serve from '@sightline/serve';
import { createTracker } from '@sightline/tracker';
import { assistant } from './bench-agent.ts';
import { countingPool, type StatementCounts } from './counting-pool.ts';

export interface ServedConfig {
  /** `memory`, a SQLite file, or a postgres:// URL. */
  sessions: string;
  /** Track runs into this collector (tracking off when undefined). */
  collector?: string | undefined;
  /** NATS bus (PostgreSQL only). */
  nats?: { url: string; stream: string; subjectPrefix: string } | undefined;
  /** `application_name` of the PostgreSQL pool. */
  applicationName?: string | undefined;
  /** Another copy of @sightline/serve's sources (a baseline). */
  serveSources?: string | undefined;
  /**
   * Another copy of @sightline/agents' sources, the one that serve copy imports (a baseline of a change
   * in agents): tracing is instrumented from it too, so its sessions and tracing share one module.
   */
  agentsSources?: string | undefined;
}

/** A served app and how to stop it (returns counters: tracker, SQLite commit groups). */
export interface Served {
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  close(): Promise<Record<string, unknown>>;
}

/** Builds one configuration of serveAgents. */
export async function servedApp(config: ServedConfig): Promise<Served> {
  const serve: typeof Serve = await import(
    config.serveSources ? resolve(config.serveSources) : '@sightline/serve'
  );
  const agents: typeof Agents = await import(
    config.agentsSources ? resolve(config.agentsSources) : '@sightline/agents'
  );
  const stores = openStores(serve, config, agents);
  const busStats = { messages: 0, frames: 0, commands: 0 };
  const natsBus = config.nats ? await serve.natsBus(config.nats) : undefined;
  // Counted unless another copy of serve's sources (whose RunBus may differ) runs it.
  const bus = natsBus && !config.serveSources ? counting(natsBus, busStats) : natsBus;
  const node =
    stores.runs && serve.serveNode
      ? serve.serveNode({ runs: stores.runs, ...(bus ? { bus } : {}) })
      : undefined;
  const tracker = config.collector
    ? createTracker({
        endpoint: config.collector,
        apiKey: 'sl_ingest_bench',
        exitHooks: false,
        ...(process.env.BATCH ? { batchSize: Number(process.env.BATCH) } : {}),
      })
    : undefined;
  if (tracker) agents.instrumentAgents(tracker);
  else setTracingDisabled(true);
  const router = serve.serveAgents({
    agents: [assistant()],
    sessions: stores.sessions,
    tracker: tracker ?? false,
    ...(node ? { node } : {}),
    getUser: (request) =>
      request.headers.get('authorization') === 'Bearer bench-token' ? { id: 'bench-user' } : undefined,
  });
  return {
    fetch: router.fetch,
    async close() {
      await router.close();
      await node?.close();
      await bus?.close();
      let counters: Record<string, unknown> = {};
      if (tracker) {
        const flushed = await tracker.flush({ timeoutMs: 30_000 });
        const stats = tracker.stats();
        counters = {
          trackerTracked: stats.tracked,
          trackerSent: stats.sent,
          trackerFailed: stats.failed,
          trackerDropped: stats.dropped,
          lastFlushOk: flushed.ok,
        };
        await tracker.shutdown();
      }
      // What went over NATS: messages published (frames of a run's tick), frames, commands sent.
      if (bus && bus !== natsBus) counters = { ...counters, nats: busStats };
      // Turns stored and the SQLite transactions they took (group commit).
      const commits = (stores.sessions as Partial<Serve.SqliteSessionStore>).commitStats;
      if (commits) counters = { ...counters, sessionCommits: commits };
      // PostgreSQL statements sent (all of the process's life, warm-up included), by kind.
      if (stores.statements) counters = { ...counters, pgStatements: stores.statements };
      await stores.close();
      return counters;
    },
  };
}

function openStores(
  serve: typeof Serve,
  config: ServedConfig,
  agents: typeof Agents,
): {
  sessions: Serve.SessionStore;
  runs: Serve.RunStore | undefined;
  statements?: StatementCounts;
  close(): Promise<void>;
} {
  if (config.sessions === 'memory') {
    return { sessions: serve.memorySessions(), runs: undefined, close: async () => undefined };
  }
  if (/^postgres(ql)?:\/\//.test(config.sessions)) {
    // One pool for sessions and runs, as `sightline start` shares one; its statements counted.
    const { pool, counts } = countingPool({
      connectionString: config.sessions,
      ...(config.applicationName ? { application_name: config.applicationName } : {}),
    });
    return {
      sessions: serve.postgresSessions(pool),
      runs: serve.postgresRuns(pool),
      statements: counts,
      close: () => pool.end(),
    };
  }
  return {
    sessions: serve.sqliteSessions(config.sessions),
    runs: serve.sqliteRuns?.(config.sessions),
    close: async () => agents.closeSessionDatabases(),
  };
}

/** The bus, counting what it publishes and requests. */
function counting(
  bus: Serve.RunBus,
  stats: { messages: number; frames: number; commands: number },
): Serve.RunBus {
  return {
    name: bus.name,
    publish(runId, frames, end) {
      stats.messages += 1;
      stats.frames += frames.length;
      bus.publish(runId, frames, end);
    },
    lastFrame: (runId) => bus.lastFrame(runId),
    follow: (runId, afterId, signal) => bus.follow(runId, afterId, signal),
    request(nodeId, runId, command) {
      stats.commands += 1;
      return bus.request(nodeId, runId, command);
    },
    listen: (nodeId, handler) => bus.listen(nodeId, handler),
    flush: () => bus.flush(),
    close: () => bus.close(),
  };
}
