/**
 * A customer's own rows when their conversations are erased. Erased whole (`eraseCustomer`, or their
 * last conversation erased): each of their activity rows goes, taking the customer out of that hour's
 * or day's distinct-customer count, then their usage per day and their totals row. One conversation
 * erased while the customer keeps others: the hours and days in which only it made the customer active
 * (in its environment) go the same way, and the customer's first / last seen narrow to the
 * conversations left. Activity is read from stored times (conversations' start and last activity,
 * messages, steps, feedback).
 */
import { type Kysely, sql } from 'kysely';
import { dayBucket, hourBucket } from '../buckets.ts';
import type { Database } from '../schema.ts';
import type { RollupFootprint } from './rollup-footprint.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

type Customer = { projectId: string; customerId: string };
type ActivityRow = { environment: string; granularity: string; bucket: number };

/** Adds deleted activity rows to the distinct-customer counts to take out. */
function countOut(footprint: RollupFootprint, rows: ActivityRow[]): void {
  for (const row of rows) {
    const counts = row.granularity === 'h' ? footprint.hourlyCustomers : footprint.dailyCustomers;
    counts.add({ environment: row.environment, bucket: Number(row.bucket) }, { customers: 1 });
  }
}

/** Deletes every activity row of the customer; returns how many. */
export async function eraseAllActivity(
  db: Kysely<Database>,
  options: Customer & { footprint: RollupFootprint },
): Promise<number> {
  const rows = await db
    .deleteFrom('customer_activity')
    .where('project_id', '=', options.projectId)
    .where('customer_id', '=', options.customerId)
    .returning(['environment', 'granularity', 'bucket'])
    .execute();
  countOut(options.footprint, rows);
  return rows.length;
}

/** Deletes the customer's usage per day and totals row (after the rollup changes). */
export async function eraseCustomerRows(
  db: Kysely<Database>,
  customer: Customer,
): Promise<{ customers: number; customerDays: number }> {
  const days = await db
    .deleteFrom('customer_daily')
    .where('project_id', '=', customer.projectId)
    .where('customer_id', '=', customer.customerId)
    .executeTakeFirst();
  const totals = await db
    .deleteFrom('customers')
    .where('project_id', '=', customer.projectId)
    .where('customer_id', '=', customer.customerId)
    .executeTakeFirst();
  return { customers: Number(totals.numDeletedRows), customerDays: Number(days.numDeletedRows) };
}

/**
 * Deletes the activity rows (in `environment`, at `times`) that no remaining conversation of the
 * customer accounts for; returns how many.
 */
export async function eraseLoneActivity(
  db: Kysely<Database>,
  options: Customer & { environment: string; times: number[]; footprint: RollupFootprint },
): Promise<number> {
  const buckets = new Map<string, ActivityRow>();
  for (const at of options.times) {
    const hour = { environment: options.environment, granularity: 'h', bucket: hourBucket(at) };
    const day = { environment: options.environment, granularity: 'd', bucket: dayBucket(at) };
    for (const row of [hour, day]) buckets.set(`${row.granularity}${row.bucket}`, row);
  }
  const lone: ActivityRow[] = [];
  for (const row of [...buckets.values()].sort((a, b) => a.bucket - b.bucket)) {
    const span = { from: row.bucket, to: row.bucket + (row.granularity === 'h' ? HOUR : DAY) };
    if (await activeWithin(db, { ...options, ...span })) continue;
    const deleted = await db
      .deleteFrom('customer_activity')
      .where('project_id', '=', options.projectId)
      .where('environment', '=', row.environment)
      .where('granularity', '=', row.granularity)
      .where('bucket', '=', row.bucket)
      .where('customer_id', '=', options.customerId)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) > 0) lone.push(row);
  }
  countOut(options.footprint, lone);
  return lone.length;
}

/** Whether a stored conversation of the customer in the environment was active in [from, to). */
async function activeWithin(
  db: Kysely<Database>,
  options: Customer & { environment: string; from: number; to: number },
): Promise<boolean> {
  const { from, to } = options;
  const within = (table: 'messages' | 'steps' | 'feedback', column: string) =>
    sql<boolean>`exists (select 1 from ${sql.table(table)} r where r.project_id = c.project_id
      and r.conversation_id = c.id and r.${sql.ref(column)} >= ${from} and r.${sql.ref(column)} < ${to})`;
  const row = await db
    .selectFrom('conversations as c')
    .select('c.id')
    .where('c.project_id', '=', options.projectId)
    .where('c.customer_id', '=', options.customerId)
    .where('c.environment', '=', options.environment)
    .where('c.last_activity_at', '>=', from)
    .where('c.started_at', '<', to)
    .where((eb) =>
      eb.or([
        eb('c.started_at', '>=', from),
        eb('c.last_activity_at', '<', to),
        within('messages', 'timestamp'),
        within('steps', 'started_at'),
        within('feedback', 'timestamp'),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Narrows the customer's first / last seen to their remaining conversations (never widens them). */
export async function narrowSeen(db: Kysely<Database>, customer: Customer): Promise<void> {
  const range = await db
    .selectFrom('conversations')
    .select((eb) => [eb.fn.min('started_at').as('first'), eb.fn.max('last_activity_at').as('last')])
    .where('project_id', '=', customer.projectId)
    .where('customer_id', '=', customer.customerId)
    .executeTakeFirst();
  if (range?.first == null || range.last == null) return;
  const first = Number(range.first);
  const last = Number(range.last);
  await db
    .updateTable('customers')
    .set({
      first_seen_at: sql`case when first_seen_at < ${first} then ${first} else first_seen_at end`,
      last_seen_at: sql`case when last_seen_at > ${last} then ${last} else last_seen_at end`,
    })
    .where('project_id', '=', customer.projectId)
    .where('customer_id', '=', customer.customerId)
    .execute();
}
