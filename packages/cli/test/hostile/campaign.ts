/**
 * One hostile campaign against a real `sightline start` child process: generates every case (from the
 * server's /openapi.json, the ingest templates, OTLP garbage, the served routes), sends them with a
 * little concurrency, checks /healthz after every 500, samples the child's RSS from /proc, then reads
 * every stored conversation back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCli, startCli } from '../../src/spawn-cli.ts';
import { Prng } from './hostile-values.ts';
import { envelopeCases, eventFieldCases, type IngestCase } from './ingest-cases.ts';
import { type OpenApiDocument, openApiCases, undocumentedCases } from './openapi-cases.ts';
import { otlpJsonCases, otlpProtobufCases } from './otlp-garbage.ts';
import {
  createAgent,
  type HostileRequest,
  type Outcome,
  rawSocketCases,
  send,
  type Target,
} from './raw-request.ts';
import { finalReads, type Ledger, type ReadbackReport, readBack, recordIngest } from './readback.ts';
import { type ServedState, servedCases } from './served-cases.ts';
import { type WebSocketReport, webSocketCases } from './websocket-cases.ts';

export interface Failure {
  label: string;
  method: string;
  path: string;
  status: number;
  body: string;
}

export interface CampaignResult {
  requests: number;
  /** `METHOD /path` of every operation in the server's /openapi.json. */
  documentedRoutes: string[];
  groups: Record<string, number>;
  /** Summed answer times per group, in ms (where the run spends its time). */
  groupMs: Record<string, number>;
  failures: Failure[];
  /** Requests that got no answer at all (timeouts, resets), with why. */
  unanswered: Failure[];
  /** Requests answered after more than SLOW_MS (reported, not failed: a hung one is). */
  slow: Array<Failure & { ms: number }>;
  health: string[];
  webSocket: WebSocketReport;
  readback: ReadbackReport;
  /** RSS of the idle server before the campaign, and the peak (VmHWM) during it. */
  startRssKb: number;
  peakRssKb: number;
  rssSamples: number;
  campaignMs: number;
  /** Where the wall time went, in ms. */
  phases: Record<string, number>;
  /** CPU seconds the server used during the campaign. */
  serverCpuSeconds: number;
  alive: boolean;
  serverLog: string;
}

const HEALTH_EVERY = 500;
const SLOW_MS = 5_000;

async function json(
  target: Target,
  agent: ReturnType<typeof createAgent>,
  request: HostileRequest,
): Promise<Outcome> {
  const outcome = await send(target, agent, request);
  if (outcome.status >= 300) throw new Error(`setup ${request.label}: ${outcome.status} ${outcome.body}`);
  return outcome;
}

/** A run waiting for approval and a workflow waiting for an answer, for the served cases to aim at. */
async function servedState(target: Target, agent: ReturnType<typeof createAgent>): Promise<ServedState> {
  const post = (path: string, body: unknown): HostileRequest => ({
    label: `setup ${path}`,
    method: 'POST',
    path,
    key: 'chat',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const paused = (await json(target, agent, post('/agents/notes/runs', { input: 'delete note 1' }))).json as {
    runId: string;
    approvals?: Array<{ approvalId: string }>;
  };
  const approvalId = paused.approvals?.[0]?.approvalId;
  if (!approvalId)
    throw new Error(`setup: the notes agent did not ask for approval: ${JSON.stringify(paused)}`);
  const started = (
    await json(target, agent, post('/workflows/student_teacher/runs', { params: { rounds: 1 } }))
  ).json as { runId: string };
  for (let attempt = 0; attempt < 100; attempt++) {
    const status = await json(target, agent, {
      label: 'setup workflow status',
      method: 'GET',
      path: `/workflows/runs/${started.runId}`,
      key: 'chat',
    });
    const questionId = (status.json as { questions?: string[] }).questions?.[0];
    if (questionId)
      return { pausedRunId: paused.runId, approvalId, workflowRunId: started.runId, questionId };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('setup: the workflow never asked its question');
}

function shuffle<T>(items: T[], prng: Prng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = prng.int(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Samples VmRSS and keeps VmHWM (the kernel's peak RSS) of a process. */
function rssSampler(pid: number): { stop(): { peakKb: number; samples: number } } {
  let peakKb = 0;
  let samples = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakKb = Math.max(peakKb, hwm, rss);
      samples += 1;
    } catch {
      // The process is gone; the liveness check reports it.
    }
  };
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { peakKb, samples };
    },
  };
}

export interface CampaignServer {
  cli: RunningCli;
  target: Target;
  /** The server's working directory (credentials, SQLite files). */
  dir: string;
}

/** Starts `sightline start` in a fresh directory (DATABASE_URL in `env` selects PostgreSQL). */
export async function startServer(env: Record<string, string>): Promise<CampaignServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-hostile-'));
  const cli = await startCli({
    cwd: dir,
    args: ['--db', join(dir, 'sightline.db')],
    env: { OPENAI_API_KEY: '', SIGHTLINE_LOG_LEVEL: 'error', ...env },
  });
  const credentials = JSON.parse(readFileSync(join(dir, '.sightline', 'credentials.json'), 'utf8'));
  const url = new URL(cli.url);
  return {
    cli,
    dir,
    target: {
      host: url.hostname,
      port: Number(url.port),
      keys: { ingest: credentials.ingestKey, read: credentials.readKey, chat: credentials.chatKey },
    },
  };
}

/** Every hostile request of one run, shuffled by the seed. */
export async function generateCases(
  target: Target,
  agent: ReturnType<typeof createAgent>,
  seed: number,
): Promise<{ cases: HostileRequest[]; documentedRoutes: string[] }> {
  const prng = new Prng(seed);
  const doc = (
    await json(target, agent, { label: 'openapi', method: 'GET', path: '/openapi.json', key: 'none' })
  ).json as OpenApiDocument;
  const seedConversation = `hostile-${seed}-seed`;
  await json(target, agent, {
    label: 'seed conversation',
    method: 'POST',
    path: '/v1/ingest',
    key: 'ingest',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      events: [
        {
          id: prng.uuid(),
          type: 'message',
          timestamp: new Date().toISOString(),
          body: { conversationId: seedConversation, role: 'human', content: 'seed' },
        },
      ],
    }),
  });
  const hints = {
    params: { id: seedConversation, name: 'calculate' },
    fields: { conversationId: seedConversation, sentiment: 'positive', environment: 'production' },
  };
  const state = await servedState(target, agent);
  const cases: HostileRequest[] = [
    ...openApiCases(doc, hints, prng),
    ...undocumentedCases(),
    ...rawSocketCases(),
    ...eventFieldCases(prng, seed),
    ...envelopeCases(prng, seed),
    ...otlpProtobufCases(prng),
    ...otlpJsonCases(prng),
    ...servedCases(prng, state),
  ];
  const documentedRoutes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
  return { cases: shuffle(cases, prng), documentedRoutes };
}

function groupOf(label: string): string {
  return label.split(' ').slice(0, 2).join(' ');
}

/** Sends every case, then reads everything back. */
export async function runCampaign(
  server: CampaignServer,
  seed: number,
  concurrency = 6,
): Promise<CampaignResult> {
  const { cli, target } = server;
  const started = performance.now();
  const agent = createAgent(concurrency + 2);
  const startRssKb = Number(
    /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${cli.child.pid}/status`, 'utf8'))?.[1] ?? 0,
  );
  const rss = rssSampler(cli.child.pid ?? 0);
  const cpuBefore = cpuSeconds(cli.child.pid ?? 0);
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    phases[name] = Math.round(performance.now() - mark);
    mark = performance.now();
  };
  const { cases, documentedRoutes } = await generateCases(target, agent, seed);
  phase('generate');
  const failures: Failure[] = [];
  const unanswered: Failure[] = [];
  const slow: CampaignResult['slow'] = [];
  const health: string[] = [];
  const groups: Record<string, number> = {};
  const groupMs: Record<string, number> = {};
  const ledger: Ledger = new Map();
  let answered = 0;
  // No barrier: the worker whose answer completes each 500th request checks /healthz; the others go on.
  const checkHealth = async (after: number) => {
    const healthz = { label: 'healthz', method: 'GET', path: '/healthz', key: 'none' } as const;
    const alive = await send(target, agent, healthz, 5_000);
    if (alive.status !== 200)
      health.push(`after ${after} requests: /healthz answered ${alive.status} ${alive.body}`);
  };
  await pool(cases, concurrency, async (request) => {
    const outcome = await send(target, agent, request);
    const group = groupOf(request.label);
    groups[group] = (groups[group] ?? 0) + 1;
    groupMs[group] = (groupMs[group] ?? 0) + outcome.ms;
    const { label, method, path } = request;
    const failure = { label, method, path, status: outcome.status, body: outcome.body };
    if (outcome.status >= 500) failures.push(failure);
    if (outcome.status === 0) unanswered.push(failure);
    if (outcome.ms > SLOW_MS) slow.push({ ...failure, ms: outcome.ms });
    if ('messages' in request) recordIngest(ledger, request as IngestCase, outcome);
    answered += 1;
    if (answered % HEALTH_EVERY === 0 || answered === cases.length) await checkHealth(answered);
  });
  phase('send');
  const webSocket = await webSocketCases(
    `http://${target.host}:${target.port}`,
    target.keys.chat,
    new Prng(seed + 1),
  );
  phase('websocket');
  const readback = await readBack(target, agent, ledger, concurrency);
  readback.problems.push(...(await finalReads(target, agent)));
  phase('readback');
  const ready = await send(
    target,
    agent,
    { label: 'readyz', method: 'GET', path: '/readyz', key: 'none' },
    5_000,
  );
  if (ready.status !== 200) health.push(`at the end: /readyz answered ${ready.status} ${ready.body}`);
  const { peakKb, samples } = rss.stop();
  agent.destroy();
  return {
    requests: cases.length,
    documentedRoutes,
    groups,
    groupMs,
    failures,
    unanswered,
    slow,
    health,
    webSocket,
    readback,
    startRssKb,
    peakRssKb: peakKb,
    rssSamples: samples,
    campaignMs: Math.round(performance.now() - started),
    phases,
    serverCpuSeconds: Math.round((cpuSeconds(cli.child.pid ?? 0) - cpuBefore) * 10) / 10,
    alive: cli.child.exitCode === null && cli.child.signalCode === null,
    serverLog: cli.output().slice(-20_000),
  };
}
