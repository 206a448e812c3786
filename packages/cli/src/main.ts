/** The `sightline` command line: start, migrate, projects, keys, retention, dataset, replay. */
import { parseArgs } from 'node:util';
import { KEY_SCOPES, openStore } from '@sightline/store';
import { loadEvaluators } from './evaluators-file.ts';
import { readPricesFile } from './prices-file.ts';
import { datasetCommand, replayCommand } from './replay-cli.ts';
import { REPLAY_HELP } from './replay-command.ts';
import { RETENTION_HELP, retention } from './retention-command.ts';
import { start } from './start.ts';

const HELP = `Usage: sightline <command> [options]

Commands:
  start                 Run the collector, API docs and dashboard
      --port <n>        Port (default $SIGHTLINE_PORT or 4400)
      --host <addr>     Interface (default $SIGHTLINE_HOST or 127.0.0.1)
      --db <path>       SQLite file (default ./.sightline/sightline.db); DATABASE_URL=postgres://… uses PostgreSQL
      --prices <file>   JSON price table [{ model, provider?, inputPerMillion, outputPerMillion }] (or $SIGHTLINE_PRICES)
      --demo            Fill an empty project with a week of demo conversations
      --no-agents       Do not serve the demo agents and workflow (/agents, /workflows)
      --nats <url>      NATS JetStream shared by the nodes (default $NATS_URL): resume, answer, cancel on any node
      --evaluators <file>  A module exporting an array of evaluators (codeEvaluator, modelEvaluator), run
                        over new conversations once idle and by POST /v1/evaluations (or $SIGHTLINE_EVALUATORS)
      --eval-sample <r> Share of new conversations evaluated, 0 to 1 (default 1)
  migrate               Apply database migrations and exit
  projects create --name <name>
  projects list
  keys create --project <id> --scope ingest|read|chat|admin [--name <label>]
                        ingest: write events (trackers); read: read the data (a dashboard to share);
                        chat: run the served agents and workflows; admin: manage, read and chat
  keys list --project <id>
${RETENTION_HELP}
${REPLAY_HELP}
  help                  Show this text
`;

const shared = {
  db: { type: 'string' },
  prices: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  name: { type: 'string' },
  project: { type: 'string' },
  scope: { type: 'string' },
  days: { type: 'string' },
  'batch-size': { type: 'string' },
  demo: { type: 'boolean' },
  nats: { type: 'string' },
  evaluators: { type: 'string' },
  'eval-sample': { type: 'string' },
  'no-agents': { type: 'boolean' },
  url: { type: 'string' },
  key: { type: 'string' },
  collector: { type: 'string' },
  'admin-key': { type: 'string' },
  out: { type: 'string' },
  conversation: { type: 'string', multiple: true },
  filter: { type: 'string', multiple: true },
  limit: { type: 'string' },
  dataset: { type: 'string' },
  agent: { type: 'string' },
  experiment: { type: 'string' },
  evaluator: { type: 'string', multiple: true },
  'min-score': { type: 'string', multiple: true },
  report: { type: 'string' },
  baseline: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs the command line; resolves to the exit code (start resolves only when the server stops). */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: shared,
    allowPositionals: true,
    strict: true,
  });
  const [command, sub, arg] = positionals;
  const database =
    process.env.DATABASE_URL ?? values.db ?? process.env.SIGHTLINE_DB ?? './.sightline/sightline.db';
  if (!command || command === 'help' || values.help) {
    console.log(HELP);
    return 0;
  }
  switch (command) {
    case 'start':
      return runStart({
        database,
        port: values.port,
        host: values.host,
        prices: values.prices ?? process.env.SIGHTLINE_PRICES,
        demo: values.demo ?? false,
        agents: !values['no-agents'],
        nats: values.nats ?? (process.env.NATS_URL || undefined),
        evaluators: values.evaluators ?? (process.env.SIGHTLINE_EVALUATORS || undefined),
        evalSample: values['eval-sample'],
      });
    case 'migrate':
      return withStore(database, async () => 0);
    case 'projects':
      return projects(database, sub, values);
    case 'keys':
      return keys(database, sub, values);
    case 'retention':
      return withStore(database, (store) =>
        retention(store, { sub, arg, values, out: (line) => console.log(line) }),
      );
    case 'dataset':
      return datasetCommand(sub, values, (line) => console.log(line));
    case 'replay':
      return replayCommand(values, {
        out: (line) => console.log(line),
        err: (line) => console.error(line),
      });
    default:
      console.error(`sightline: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

async function runStart(options: {
  database: string;
  port: string | undefined;
  host: string | undefined;
  prices: string | undefined;
  demo: boolean;
  agents: boolean;
  nats: string | undefined;
  evaluators: string | undefined;
  evalSample: string | undefined;
}): Promise<number> {
  const port = Number(options.port ?? process.env.SIGHTLINE_PORT ?? 4400);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: must be an integer from 0 to 65535, got ${options.port}`);
  const prices = options.prices ? await readPricesFile(options.prices) : undefined;
  const sampleRate = options.evalSample === undefined ? undefined : Number(options.evalSample);
  if (sampleRate !== undefined && !(sampleRate >= 0 && sampleRate <= 1))
    throw new Error(`--eval-sample: must be a number from 0 to 1, got ${options.evalSample}`);
  const evaluators = options.evaluators ? await loadEvaluators(options.evaluators) : undefined;
  const started = await start({
    port,
    host: options.host ?? process.env.SIGHTLINE_HOST ?? '127.0.0.1',
    database: options.database,
    ...(prices ? { prices } : {}),
    demo: options.demo,
    agents: options.agents,
    nats: options.nats,
    ...(evaluators ? { evaluators } : {}),
    ...(sampleRate === undefined ? {} : { evaluationSampleRate: sampleRate }),
  });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: finishing queued writes and stopping…`);
      const forced = setTimeout(() => process.exit(1), 10_000);
      forced.unref();
      started.close().then(resolve, resolve);
    };
    // \`on\`, not \`once\`: the Agents SDK's tracing exits the process on a signal when it sees no other
    // listener, which would cut our shutdown short (runs not stored, node not left).
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}

async function withStore(
  database: string,
  fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<number>,
): Promise<number> {
  const store = await openStore({ database });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

type Values = { name?: string | undefined; project?: string | undefined; scope?: string | undefined };

function projects(database: string, sub: string | undefined, values: Values): Promise<number> {
  return withStore(database, async (store) => {
    if (sub === 'create') {
      if (!values.name) throw new Error('projects create: --name is required');
      const project = await store.createProject({ name: values.name });
      console.log(`${project.id}\t${project.name}`);
      return 0;
    }
    if (sub === 'list') {
      for (const project of await store.listProjects())
        console.log(`${project.id}\t${project.name}\t${project.createdAt}`);
      return 0;
    }
    throw new Error('projects: use "projects create --name <name>" or "projects list"');
  });
}

function keys(database: string, sub: string | undefined, values: Values): Promise<number> {
  return withStore(database, async (store) => {
    const projectId = values.project ?? (await store.listProjects())[0]?.id;
    if (!projectId)
      throw new Error(
        'keys: no project exists; run "sightline start" or "sightline projects create --name <name>"',
      );
    if (sub === 'create') {
      const scope = KEY_SCOPES.find((known) => known === values.scope);
      if (!scope) throw new Error(`keys create: --scope must be one of ${scopeChoices()}`);
      const { key, apiKey } = await store.createApiKey({
        projectId,
        scope,
        ...(values.name ? { name: values.name } : {}),
      });
      console.log(key);
      console.error(
        `created ${apiKey.scope} key ${apiKey.id} for project ${projectId}; it is shown only once`,
      );
      return 0;
    }
    if (sub === 'list') {
      for (const key of await store.listApiKeys(projectId)) {
        console.log(
          `${key.id}\t${key.scope}\t${key.prefix}…\t${key.name}\t${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}`,
        );
      }
      return 0;
    }
    throw new Error(
      `keys: use "keys create --scope ${KEY_SCOPES.join('|')} [--project <id>]" or "keys list"`,
    );
  });
}

/** `"ingest", "read", "chat" or "admin"`. */
function scopeChoices(): string {
  const quoted = KEY_SCOPES.map((scope) => `"${scope}"`);
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
