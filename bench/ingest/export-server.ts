/**
 * The collector process of the export benchmark (bench/ingest/export.ts starts it, so that its memory is
 * measured on its own): opens the store, creates a read key for its first project, listens on a free
 * port and prints `{ url, key, pid }` as one JSON line.
 *   node bench/ingest/export-server.ts --db .bench-data/big.db [--cache-mb 64]
 */
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { createLogger, createSightlineApp, listen } from '@sightline/server';
import { openStore } from '@sightline/store';
import { benchStoreOptions } from './bench-store.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: '.bench-data/big.db' },
    'trace-memory': { type: 'boolean' },
    'cache-mb': { type: 'string' },
  },
});
const db = values.db as string;
const store = await openStore(benchStoreOptions(db, { cacheMb: values['cache-mb'] }));
const project = (await store.listProjects())[0];
if (!project) throw new Error(`${db} has no project: run bench/ingest/generate.ts first`);
const { key } = await store.createApiKey({ projectId: project.id, scope: 'read', name: 'export bench' });
const collector = createSightlineApp({ store, logger: createLogger({ level: 'silent' }) });
const server = await listen({ collector, port: 0, onClose: () => store.close() });
console.log(JSON.stringify({ url: server.url, key, pid: process.pid }));
if (values['trace-memory']) {
  const mb = (n: number) => Math.round(n / 1048576);
  setInterval(() => {
    const m = process.memoryUsage();
    const spaces = v8
      .getHeapSpaceStatistics()
      .filter((space) => space.space_size > 4 * 1048576)
      .map((space) => `${space.space_name} ${mb(space.space_size)}`);
    console.error(
      `memory: rss ${mb(m.rss)} heapTotal ${mb(m.heapTotal)} (${spaces.join(', ')}) heapUsed ${mb(m.heapUsed)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} MB`,
    );
  }, 500).unref();
}
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
