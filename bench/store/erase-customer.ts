/**
 * Erasing a customer with 1,000 conversations among 100,000 others (issue 14), on SQLite and
 * PostgreSQL: the time `store.eraseCustomer` takes (rows, rollups, activity, totals, one transaction),
 * against the anchor of plain DELETEs of the same rows with no rollup kept right (on a copy of the
 * project), and `store.eraseConversation` of one conversation.
 *   node bench/store/erase-customer.ts [--others 100000] [--dialect sqlite|postgres|both]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createStore, type Store } from '@sightline/store';
import { buildScaleProjects, createTestPostgresStore, type QueryRows } from '@sightline/store/testing';
import BetterSqlite3 from 'better-sqlite3';

const { values } = parseArgs({
  options: { others: { type: 'string', default: '100000' }, dialect: { type: 'string', default: 'both' } },
});
const others = Number(values.others);

interface Opened {
  store: Store;
  query: QueryRows;
  exec: (statement: string) => Promise<unknown>;
  close: () => Promise<void>;
}

async function sqlite(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-erase-bench-'));
  const file = join(dir, 'bench.db');
  const store = createStore({ sqlite: { file } });
  await store.migrate();
  const raw = new BetterSqlite3(file);
  raw.pragma('busy_timeout = 5000');
  return {
    store,
    query: async (statement) => raw.prepare(statement).all() as Array<Record<string, unknown>>,
    exec: async (statement) => raw.exec(statement),
    close: async () => {
      raw.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgres(): Promise<Opened> {
  const { store, pool, drop } = await createTestPostgresStore();
  return {
    store,
    query: async (statement) => (await pool.query(statement)).rows,
    exec: (statement) => pool.query(statement),
    close: drop,
  };
}

const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(2);

/** Plain deletes of a customer's conversation rows, nothing else kept right: the anchor. */
async function plainDeletes(opened: Opened, project: string): Promise<number> {
  const where = `project_id = '${project}' and conversation_id like 'gone-%'`;
  const started = performance.now();
  await opened.exec(`begin;
    delete from messages where ${where};
    delete from steps where ${where};
    delete from feedback where ${where};
    delete from conversations where project_id = '${project}' and customer_id = 'gone-cust';
    commit;`);
  return performance.now() - started;
}

for (const [name, open] of [
  ['sqlite', sqlite],
  ['postgres', postgres],
] as const) {
  if (values.dialect !== 'both' && values.dialect !== name) continue;
  const opened = await open();
  let started = performance.now();
  const { a } = await buildScaleProjects({ ...opened, others, conversations: 1_000 });
  const { a: c } = await buildScaleProjects({ ...opened, others, conversations: 1_000 });
  console.log(`${name}: built 2 x (${others} others + 1,000 of the customer's) in ${seconds(started)} s`);
  started = performance.now();
  const outcome = await opened.store.eraseCustomer(a, 'gone-cust');
  const erase = performance.now() - started;
  const anchor = await plainDeletes(opened, c);
  console.log(
    `${name}: eraseCustomer ${erase.toFixed(0)} ms (${JSON.stringify(outcome.removed)}); plain DELETEs of the same rows, no rollups ${anchor.toFixed(0)} ms (x${(erase / anchor).toFixed(1)})`,
  );
  started = performance.now();
  const one = await opened.store.eraseConversation(a, 'other-3~7');
  console.log(
    `${name}: eraseConversation of one conversation ${(performance.now() - started).toFixed(0)} ms (${one.removed.messages} messages)`,
  );
  await opened.close();
}
