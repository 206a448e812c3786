/**
 * Migration 0009: feedback from the platform's own people and automatic feedback are kept apart from
 * customer feedback. `feedback_hourly` counts them per hour, environment, source and sentiment; the
 * conversations' and hourly rollups' fb_* columns keep customer feedback only. Feedback stored before
 * is moved accordingly (it was counted in fb_* whatever its source).
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from './dialect.ts';
import { tableEnd } from './migration-helpers.ts';

const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;

/** Creates `feedback_hourly` and moves the counts of non-customer feedback into it. */
// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables the typed schema may not match
export async function separateFeedbackSources(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('feedback_hourly')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('sentiment', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('feedback_hourly_pk', [
      'project_id',
      'bucket',
      'environment',
      'source',
      'sentiment',
    ])
    .modifyEnd(tableEnd(dialect))
    .execute();
  await sql`insert into feedback_hourly (project_id, bucket, environment, source, sentiment, count)
    select f.project_id, f."timestamp" - (f."timestamp" % 3600000), c.environment, f.source, f.sentiment, count(*)
    from feedback f join conversations c on c.project_id = f.project_id and c.id = f.conversation_id
    where f.source <> 'customer' and f.sentiment is not null
    group by f.project_id, f."timestamp" - (f."timestamp" % 3600000), c.environment, f.source, f.sentiment`.execute(
    db,
  );
  for (const sentiment of SENTIMENTS) {
    const column = sql.ref(`fb_${sentiment}`);
    await sql`update rollup_hourly set ${column} = ${column} - (select coalesce(sum(h.count), 0)
        from feedback_hourly h where h.project_id = rollup_hourly.project_id and h.bucket = rollup_hourly.bucket
        and h.environment = rollup_hourly.environment and h.sentiment = ${sentiment})
      where exists (select 1 from feedback_hourly h where h.project_id = rollup_hourly.project_id
        and h.bucket = rollup_hourly.bucket and h.environment = rollup_hourly.environment
        and h.sentiment = ${sentiment})`.execute(db);
    await sql`update conversations set ${column} = ${column} - (select count(*) from feedback f
        where f.project_id = conversations.project_id and f.conversation_id = conversations.id
        and f.source <> 'customer' and f.sentiment = ${sentiment})
      where exists (select 1 from feedback f where f.project_id = conversations.project_id
        and f.conversation_id = conversations.id and f.source <> 'customer' and f.sentiment = ${sentiment})`.execute(
      db,
    );
  }
}
