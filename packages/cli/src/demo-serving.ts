/**
 * What `sightline start` serves next to the collector: the demo agents, the student/teacher workflow and
 * the notes tools over MCP at `/mcp` (@sightline/serve), with every run tracked into the collector
 * in-process (no network hop), callers authenticated by the project's chat or admin keys, and conversations
 * and paused runs kept in the collector's PostgreSQL database (shared by every node) or next to its SQLite
 * file.
 */
import { dirname, join } from 'node:path';
import { chooseModel, instrumentAgents, uninstrumentAgents } from '@sightline/agents';
import {
  postgresRuns,
  postgresServedEraser,
  postgresSessions,
  type RunBus,
  type RunStore,
  type ServedDataEraser,
  type SessionStore,
  serveAgents,
  serveMcp,
  serveNode,
  serveWorkflows,
  sqliteRuns,
  sqliteServedEraser,
  sqliteSessions,
} from '@sightline/serve';
import { projectKeyChecker, SCOPES, type SightlineApp } from '@sightline/server';
import type { Store } from '@sightline/store';
import { createTracker } from '@sightline/tracker';
import { Hono } from 'hono';
import { type DemoUser, demoAgents } from './demo-agents.ts';
import { studentTeacherWorkflow } from './demo-workflows.ts';
import { wireServedErasure } from './served-erasure.ts';

export interface DemoServingOptions {
  collector: SightlineApp;
  store: Store;
  projectId: string;
  ingestKey: string;
  /** The collector's database (SQLite file or postgres:// URL): served sessions go with it. */
  database: string;
  /** The home folder (sessions.db goes there when the collector's SQLite database is `:memory:`). */
  home: string;
  /** How runs reach the other nodes (NATS JetStream); none: this process only. */
  bus?: RunBus | undefined;
}

/** The served routes, their description for the banner, and how to stop them. */
export interface DemoServing {
  app: Hono;
  model: string;
  /** This serving node's id (its runs are recorded under it). */
  nodeId: string;
  injectWebSocket(
    server: Parameters<ReturnType<typeof serveWorkflows>['injectWebSocket']>[0],
    app: Hono,
  ): void;
  close(): Promise<void>;
}

/** Builds the demo agents and workflow routes; mount `app` before the collector's routes. */
export function demoServing(options: DemoServingOptions): DemoServing {
  const tracker = createTracker({
    apiKey: options.ingestKey,
    endpoint: 'http://sightline.in-process',
    fetch: async (input, init) => options.collector.app.request(new Request(input, init)),
    flushIntervalMs: 250,
    exitHooks: false,
    handleSignals: false,
  });
  instrumentAgents(tracker);
  // SIGHTLINE_DEMO_LATENCY_MS: the demo model takes that long per call, like a real model (demos, tests).
  const choice = chooseModel(process.env, { latencyMs: Number(process.env.SIGHTLINE_DEMO_LATENCY_MS) || 0 });
  const getUser = projectKeyUser(options.store, options.projectId);
  const served = demoAgents(choice.model);
  const sessions = servedSessions(options.database, options.home);
  // Erasing a conversation or a customer in the collector erases their served sessions and runs too.
  const unwireErasure = wireServedErasure({ ...options, eraser: sessions.eraser });
  // One node for agents and workflows: runs recorded next to the sessions, reached through the bus.
  const node = serveNode({ runs: sessions.runs, ...(options.bus ? { bus: options.bus } : {}) });
  const agents = serveAgents<DemoUser>({
    agents: served,
    sessions: sessions.store,
    tracker,
    getUser,
    node,
  });
  const workflows = serveWorkflows<DemoUser>({
    workflows: [studentTeacherWorkflow(choice.model)],
    tracker,
    getUser,
    node,
  });
  // Seed 002: the notes agent's tools for any MCP client, at /mcp.
  const notes = served.find((agent) => agent.name === 'notes');
  const mcp = serveMcp<DemoUser>({
    tools: notes?.tools ?? [],
    name: 'sightline-demo-notes',
    getUser,
    tracker,
  });
  const app = new Hono();
  app.route('/', agents);
  app.route('/', workflows);
  app.route('/', mcp);
  return {
    app,
    model: choice.description,
    nodeId: node.nodeId,
    injectWebSocket: (server, parent) => workflows.injectWebSocket(server, parent as never),
    close: async () => {
      unwireErasure();
      await Promise.all([agents.close(), workflows.close()]);
      await node.close(); // the runs' last records, then the node leaves
      await options.bus?.close();
      await sessions.close(); // after the runs stored what they produced
      await uninstrumentAgents();
      await tracker.shutdown();
    },
  };
}

/** The PostgreSQL `application_name` of this process's served-session connections. */
export function sessionsApplicationName(pid = process.pid): string {
  return `sightline-sessions-${pid}`;
}

const isPostgres = (database: string) => /^postgres(ql)?:\/\//.test(database);

/**
 * Served conversations, paused runs and run records: in PostgreSQL, next to the collector's tables (so
 * every node sharing the database shares them too); with SQLite, in `sessions.db` next to its file. And
 * the eraser of what they hold, for the collector's erasures.
 */
function servedSessions(
  database: string,
  home: string,
): { store: SessionStore; runs: RunStore; eraser: ServedDataEraser; close(): Promise<void> } {
  if (isPostgres(database)) {
    // Named per process, so an operator (and a test) can tell the nodes' session connections apart.
    const poolConfig = { application_name: sessionsApplicationName() };
    const store = postgresSessions(database, { poolConfig });
    return {
      store,
      runs: postgresRuns(store.pool),
      eraser: postgresServedEraser(store.pool),
      close: () => store.close(),
    };
  }
  const file = join(database === ':memory:' ? home : dirname(database), 'sessions.db');
  return {
    store: sqliteSessions(file),
    runs: sqliteRuns(file),
    eraser: sqliteServedEraser(file),
    close: async () => undefined,
  };
}

/**
 * Callers present a chat or admin key of the project (`Authorization: Bearer <key>`, or `?key=` for
 * WebSockets), and are the one local user: the served agents have side effects (the notes agent deletes
 * notes), so a read key, which a read-only dashboard link carries, gets 403 naming the keys that may; an
 * unknown key gets 401. Checked keys are remembered for 30 s, so a revoked key stops working within that.
 */
function projectKeyUser(
  store: Store,
  projectId: string,
): (request: Request) => Promise<DemoUser | undefined> {
  const check = projectKeyChecker(store, { projectId, scopes: SCOPES.chat });
  return async (request) => ((await check(request)) ? { id: 'local-user' } : undefined);
}
