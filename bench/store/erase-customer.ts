/**
 * Erasing a customer with 1,000 conversations among 100,000 others (issue 14), on SQLite and
 * PostgreSQL: the time `store.eraseCustomer` takes (rows, rollups, activity, totals, one transaction),
 * against the anchor of plain DELETEs of the same rows with no rollup kept right (on a copy of the
 * project), and `store.eraseConversation` of one conversation.
 *   node bench/store/erase-customer.ts [--others 100000] [--dialect sqlite|postgres|both]
 */
import { parseArgs } from 'node:util';
import {
  buildScaleProjects,
  openRawPostgresStore,
  openRawSqliteStore,
  type RawStore,
} from '@sightline/store/testing';

const { values } = parseArgs({
  options: { others: { type: 'string', default: '100000' }, dialect: { type: 'string', default: 'both' } },
});
const others = Number(values.others);

const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(2);

/** Plain deletes of a customer's conversation rows, nothing else kept right: the anchor. */
async function plainDeletes(opened: RawStore, project: string): Promise<number> {
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
  ['sqlite', () => openRawSqliteStore()],
  ['postgres', openRawPostgresStore],
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
