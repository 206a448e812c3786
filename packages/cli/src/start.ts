/** `sightline start`: the collector (and dashboard) on one port, over SQLite or PostgreSQL. */
import { createLogger, createSightlineApp, listen, type RunningServer } from '@sightline/server';
import { type ModelPrice, openStore, type Store } from '@sightline/store';
import { dashboardDirectory } from './dashboard-dir.ts';
import { type DefaultProject, ensureDefaultProject } from './default-project.ts';
import { seedDemoForStart } from './demo-data.ts';

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
  const logger = createLogger();
  const store = await openStore({
    database: options.database,
    ...(options.prices ? { prices: options.prices } : {}),
  });
  const dashboardDir = dashboardDirectory();
  const collector = createSightlineApp({ store, logger, ...(dashboardDir ? { dashboardDir } : {}) });
  const server = await listen({
    collector,
    port: options.port,
    hostname: options.host,
    onClose: () => store.close(),
  });
  const endpoint = server.url;
  const project = await ensureDefaultProject(store, {
    endpoint,
    ...(options.home ? { home: options.home } : {}),
  });
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
    });
  return { server, store, project, readyMs, close: () => server.close() };
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
}): void {
  const { credentials } = info.project;
  const lines = [
    `Sightline is ready at ${info.endpoint} (${info.database}, ${info.readyMs} ms)`,
    info.dashboard
      ? `  Dashboard:  ${info.endpoint}/#key=${credentials.readKey}`
      : '  Dashboard:  not built (npm run build -w @sightline/dashboard)',
    `  API docs:   ${info.endpoint}/docs`,
    `  Project:    ${credentials.projectId}`,
  ];
  if (info.project.created) {
    lines.push(`  Ingest key: ${credentials.ingestKey}`, `  Read key:   ${credentials.readKey}`);
  }
  lines.push(
    `  Trackers in this directory use ${info.project.path} (or SIGHTLINE_API_KEY / SIGHTLINE_ENDPOINT).`,
  );
  console.log(lines.join('\n'));
}
