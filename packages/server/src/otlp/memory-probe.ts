/**
 * Run by hand (not a test): `node packages/server/src/otlp/memory-probe.ts`. Starts a collector in a
 * child process (SQLite in a temporary directory), sends it large OTLP exports — a 300,000-value
 * attribute array and a 20,000-span export, in JSON and protobuf, each three times — and prints the
 * child's RSS before, after each kind, and after ten idle seconds, next to a control run of the same
 * number of ordinary exports. Measures defect 6 (memory kept after huge requests).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTraceRequest } from './trace-proto.ts';

interface Started {
  url: string;
  ingestKey: string;
}

const MB = 1024 * 1024;
const print = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

async function serveInChild(): Promise<void> {
  const { openStore } = await import('@sightline/store');
  const { createSightlineApp } = await import('../app.ts');
  const { createLogger } = await import('../logger.ts');
  const { listen } = await import('../server.ts');
  const dir = mkdtempSync(join(tmpdir(), 'sightline-otlp-memory-'));
  const store = await openStore({ database: join(dir, 'probe.db') });
  const project = await store.createProject({ name: 'probe' });
  const { key } = await store.createApiKey({ projectId: project.id, scope: 'ingest' });
  const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
  const server = await listen({ collector, port: 0, onClose: () => store.close() });
  process.on('message', async (message: string) => {
    if (message === 'rss') process.send?.(process.memoryUsage().rss);
    if (message === 'stop') {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send?.({ url: server.url, ingestKey: key } satisfies Started);
}

const TRACE = '5b8efff798038103d269b633813fc60c';
const spanId = (i: number) => i.toString(16).padStart(16, '0');
const nanos = (offsetMs: number) => `${BigInt(1767225600000 + offsetMs) * 1_000_000n}`;

function span(i: number, attributes: object[] = []) {
  return {
    traceId: TRACE,
    spanId: spanId(i + 1),
    name: `span ${i}`,
    startTimeUnixNano: nanos(i),
    endTimeUnixNano: nanos(i + 1),
    attributes: [{ key: 'session.id', value: { stringValue: 'memory-probe' } }, ...attributes],
  };
}

const request = (spans: object[]) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
const list = (length: number) => ({
  arrayValue: { values: Array.from({ length }, (_, i) => ({ intValue: i % 10 })) },
});
const bigArray = () => request([span(0, [{ key: 'big', value: list(300_000) }])]);
const manySpans = () => request(Array.from({ length: 20_000 }, (_, i) => span(i)));
/** Within every limit: 19 attributes of 10,000 values (190,000 values in all). */
const largestArrays = () =>
  request([
    span(
      0,
      Array.from({ length: 19 }, (_, i) => ({ key: `list.${i}`, value: list(10_000) })),
    ),
  ]);
/** At the span limit, each span in a trace of its own (round r: spans r*10,000 …). */
const spansAtLimit = (round: number) =>
  request(
    Array.from({ length: 10_000 }, (_, i) => ({
      ...span(round * 10_000 + i),
      traceId: (round * 10_000 + i + 1).toString(16).padStart(32, '0'),
    })),
  );
const ordinary = (round: number) => request(Array.from({ length: 20 }, (_, i) => span(round * 20 + i)));

function protobuf(json: ReturnType<typeof request>): Uint8Array {
  const withBytes = JSON.parse(JSON.stringify(json), (key, value) =>
    key === 'traceId' || key === 'spanId' ? Buffer.from(value, 'hex') : value,
  );
  return encodeTraceRequest(withBytes);
}

interface Child {
  rss(): Promise<number>;
  post(body: string | Uint8Array, type: string): Promise<string>;
  stop(): void;
}

async function startChild(): Promise<Child> {
  const child = fork(import.meta.filename, ['serve'], { stdio: 'inherit' });
  const started = await new Promise<Started>((resolve) =>
    child.once('message', (m) => resolve(m as Started)),
  );
  return {
    rss: () =>
      new Promise<number>((resolve) => {
        child.once('message', (m) => resolve(m as number));
        child.send('rss');
      }),
    post: async (body, type) => {
      const response = await fetch(`${started.url}/v1/otlp/v1/traces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${started.ingestKey}`, 'content-type': type },
        body: body as BodyInit,
      });
      return `${response.status} ${(await response.text()).slice(0, 160)}`;
    },
    stop: () => child.send('stop'),
  };
}

type Payload = (round: number) => ReturnType<typeof request>;
const CASES: Array<[string, Payload, 'json' | 'protobuf']> = [
  ['ordinary 20-span export (control)', (round) => ordinary(100 + round), 'json'],
  ['300,000-value attribute array (JSON)', bigArray, 'json'],
  ['300,000-value attribute array (protobuf)', bigArray, 'protobuf'],
  ['20,000-span export (JSON)', manySpans, 'json'],
  ['20,000-span export (protobuf)', manySpans, 'protobuf'],
  ['190,000 values in 19 attributes, within the limits (JSON)', largestArrays, 'json'],
  ['190,000 values in 19 attributes, within the limits (protobuf)', largestArrays, 'protobuf'],
  ['10,000-span export, at the limit (JSON)', spansAtLimit, 'json'],
  ['10,000-span export, at the limit (protobuf)', spansAtLimit, 'protobuf'],
];

/** One case in a fresh collector: baseline RSS, three sends, RSS right after and after 10 s idle. */
async function measure([label, payload, encoding]: (typeof CASES)[number]): Promise<void> {
  const child = await startChild();
  for (let i = 0; i < 5; i++) await child.post(JSON.stringify(ordinary(i)), 'application/json');
  const before = await child.rss();
  let answer = '';
  for (let round = 0; round < 3; round++) {
    const value = payload(round);
    answer =
      encoding === 'json'
        ? await child.post(JSON.stringify(value), 'application/json')
        : await child.post(protobuf(value), 'application/x-protobuf');
  }
  const after = await child.rss();
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const idle = await child.rss();
  child.stop();
  print(`${label}, sent 3 times -> ${answer}`);
  print(
    `  RSS before ${mb(before)}, right after ${mb(after)}, after 10 s idle ${mb(idle)} (${(idle / before).toFixed(2)}x)`,
  );
}

async function main(): Promise<void> {
  for (const testCase of CASES) await measure(testCase);
}

if (process.argv[2] === 'serve') await serveInChild();
else await main();
