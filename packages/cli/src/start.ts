/**
 * `sightline start`: the collector, the dashboard and the demo agents and workflow (@sightline/serve) on
 * one port, over SQLite or PostgreSQL.
 */
import type { Evaluator } from '@sightline/core';
import type { RunBus } from '@sightline/serve';
import {
  createLogger,
  createSightlineApp,
  type Logger,
  listen,
  type RunningServer,
  type SightlineApp,
} from '@sightline/server';
import { type ModelPrice, openStore, type Store } from '@sightline/store';
import { Hono } from 'hono';
import { dashboardDirectory } from './dashboard-dir.ts';
import { type DefaultProject, ensureDefaultProject } from './default-project.ts';
import { seedDemoForStart } from './demo-data.ts';
import type { DemoServing } from './demo-serving.ts';

export interface StartOptions {
  port: number;
  host: string;
  /** SQLite file, or a postgres:// URL. */
  database: string;
  /** Where the credentials file goes (default ./.sightline). */
  home?: string;
  /** Extra model prices (USD per 1M tokens), added to the built-in table. */
  prices?: ModelPrice[];
  /** Print the banner (false in tests). */
  quiet?: boolean;
  /** Fill an empty project with a week of demo conversations. */
  demo?: boolean;
  /** Serve the demo agents and workflow (default true). */
  agents?: boolean;
  /**
   * NATS server (`nats://host:4222`, JetStream on) the serving nodes share: streams resume, questions are
   * answered and runs cancelled on any node. Unreachable: start fails at once, naming it.
   */
  nats?: string | undefined;
  /** Evaluators the collector runs over new conversations and on demand (`--evaluators <file>`). */
  evaluators?: Evaluator[];
  /** Share of new conversations evaluated in the background, 0..1 (default 1). */
  evaluationSampleRate?: number;
}

export interface Started {
  server: RunningServer;
  store: Store;
  project: DefaultProject;
  readyMs: number;
  close(): Promise<void>;
}

/** Opens the store (migrating it), ensures the default project, and listens. */
export async function start(options: StartOptions): Promise<Started> {
  // A person at a terminal gets short pretty lines and no per-request noise (requests at debug level);
  // a log collector (stdout not a TTY, or SIGHTLINE_LOG_FORMAT=json) gets JSON lines with every request.
  const pretty = Boolean(process.stdout.isTTY) && process.env.SIGHTLINE_LOG_FORMAT !== 'json';
  const logger = createLogger({ pretty });
  // The served agents' modules (@openai/agents-core, @sightline/serve, MCP: ~20 MB resident, 131 vs 111
  // MB idle) load only when agents are served. The bus first, so an unreachable NATS fails the start before anything is opened.
  const serve = options.agents === false ? undefined : await import('@sightline/serve');
  // With OPENAI_API_KEY the served agents and model judges name an OpenAI model (chooseModel), which runs
  // on the SDK's OpenAI provider; importing @openai/agents registers it. Without a key nothing needs it
  // (and the `openai` client it loads, ~8 MB resident): our packages import @openai/agents-core.
  if (process.env.OPENAI_API_KEY) await import('@openai/agents');
  const bus: RunBus | undefined =
    serve && options.nats ? await serve.natsBus({ url: options.nats }) : undefined;
  const store = await openStore({
    database: options.database,
    ...(options.prices ? { prices: options.prices } : {}),
  });
  const dashboardDir = dashboardDirectory();
  const collector = createCollector({ store, logger, pretty, dashboardDir, options });
  const home = options.home ?? process.env.SIGHTLINE_HOME ?? '.sightline';
  // The project exists before listening (served runs are tracked into it); its endpoint is fixed after.
  const expected = `http://${options.host}:${options.port}`;
  let project = await ensureDefaultProject(store, {
    endpoint: expected,
    ...(options.home ? { home: options.home } : {}),
  });
  const serving: DemoServing | undefined = !serve
    ? undefined
    : (await import('./demo-serving.ts')).demoServing({
        collector,
        store,
        projectId: project.credentials.projectId,
        ingestKey: project.credentials.ingestKey,
        database: options.database,
        home,
        bus,
      });
  const app = new Hono();
  if (serving) app.route('/', serving.app);
  app.route('/', collector.app);
  const server = await listen({
    collector,
    app: app as never,
    port: options.port,
    hostname: options.host,
    onClose: () => store.close(),
  });
  serving?.injectWebSocket(server.server, app);
  const endpoint = server.url;
  if (endpoint !== expected) {
    const created = project.created;
    project = await ensureDefaultProject(store, {
      endpoint,
      ...(options.home ? { home: options.home } : {}),
    });
    project.created ||= created;
  }
  if (options.demo)
    await seedDemoForStart(store, project.credentials.projectId, { quiet: options.quiet ?? false });
  // performance.now() counts from process start: this is the time a user waits for `sightline start`.
  const readyMs = Math.round(performance.now());
  if (!options.quiet)
    printBanner({
      endpoint,
      project,
      readyMs,
      database: describeDatabase(options.database),
      dashboard: Boolean(dashboardDir),
      model: serving?.model,
      nodes: serving
        ? `${bus ? `NATS ${bus.name}` : 'this process only (no NATS_URL)'}, node ${serving.nodeId}`
        : undefined,
    });
  const close = async () => {
    await serving?.close();
    await server.close();
  };
  return { server, store, project, readyMs, close };
}

/** The collector's app: the store's API, the dashboard when built, and the evaluators given. */
function createCollector(setup: {
  store: Store;
  logger: Logger;
  pretty: boolean;
  dashboardDir: string | null;
  options: StartOptions;
}): SightlineApp {
  const { evaluators, evaluationSampleRate } = setup.options;
  return createSightlineApp({
    store: setup.store,
    logger: setup.logger,
    requestLogLevel: setup.pretty ? 'debug' : 'info',
    ...(setup.dashboardDir ? { dashboardDir: setup.dashboardDir } : {}),
    ...(evaluators?.length
      ? {
          evaluations: {
            evaluators,
            ...(evaluationSampleRate === undefined ? {} : { sampleRate: evaluationSampleRate }),
          },
        }
      : {}),
  });
}

function describeDatabase(database: string): string {
  return /^postgres(ql)?:\/\//.test(database)
    ? `PostgreSQL ${database.replace(/\/\/[^@]*@/, '//***@')}`
    : `SQLite ${database}`;
}

function printBanner(info: {
  endpoint: string;
  project: DefaultProject;
  readyMs: number;
  database: string;
  dashboard: boolean;
  model: string | undefined;
  nodes: string | undefined;
}): void {
  const { credentials } = info.project;
  // The dashboard signs in with one key: the local owner's admin key reads, chats and manages; the
  // read-only link (a read key) is the one to share: it cannot run agents or change anything.
  const link = (key: string, route?: string) =>
    `${info.endpoint}/#key=${key}${route ? `&route=${encodeURIComponent(route)}` : ''}`;
  const lines = [
    `Sightline is ready at ${info.endpoint} (${info.database}, ${info.readyMs} ms)`,
    ...(info.dashboard
      ? [
          `  Dashboard:  ${link(credentials.adminKey)} (admin key: reads, chats, manages; keep it to yourself)`,
          `  Read-only:  ${link(credentials.readKey)} (read key: a dashboard to share, no chat, no changes)`,
        ]
      : ['  Dashboard:  not built (npm run build -w @sightline/dashboard)']),
    `  API docs:   ${info.endpoint}/docs`,
    ...(info.model
      ? [
          info.dashboard
            ? `  Chat:       ${link(credentials.adminKey, '/chat')} (demo agents and workflow, model: ${info.model})`
            : `  Chat:       not built (model: ${info.model})`,
          `  Agents API: curl -H "authorization: Bearer ${credentials.chatKey}" ${info.endpoint}/agents (a chat key; and /workflows, /mcp)`,
        ]
      : ['  Agents:     not served (--no-agents)']),
    ...(info.nodes ? [`  Runs:       ${info.nodes}`] : []),
    `  Project:    ${credentials.projectId}`,
    // Printed on every start (it is in the credentials file anyway), so a restart shows it again.
    `  Ingest key: ${credentials.ingestKey}`,
    `  Trackers in this directory use ${info.project.path} (or SIGHTLINE_API_KEY / SIGHTLINE_ENDPOINT); it holds the read, chat and admin keys too.`,
  ];
  console.log(lines.join('\n'));
}
