/**
 * Upgrading through migration 0009 on both dialects: feedback an earlier version counted in fb_*
 * whatever its source (a conversation's counters and the hourly rollups) is moved so that fb_* hold
 * customer feedback only and platform / automatic feedback is counted in feedback_hourly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DialectName } from './dialect.ts';
import { migrateToLatest } from './migrator.ts';
import { type OldStore, postgresAt0001, sqliteAt0001 } from './testing/upgrade-fixture.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 1, 2, 8, 0, 0);
const BEFORE = '0008_agent_versions';

/** Feedback as stored before 0009: a customer's, two of the platform's, one automatic, all in fb_*. */
async function writeOldFeedback(old: OldStore): Promise<void> {
  const { db } = old;
  await db.insertInto('projects').values({ id: 'p1', name: 'old', created_at: T0 }).execute();
  const conversation = { project_id: 'p1', environment: 'prod', metadata: '{}', tags: '[]' };
  await db
    .insertInto('conversations')
    .values({
      ...conversation,
      id: 'c1',
      started_at: T0,
      last_activity_at: T0,
      fb_positive: 2,
      fb_negative: 2,
    })
    .execute();
  const feedback = (id: string, sentiment: string, source: string, at: number) => ({
    project_id: 'p1',
    id,
    conversation_id: 'c1',
    sentiment,
    source,
    metadata: '{}',
    timestamp: at,
  });
  await db
    .insertInto('feedback')
    .values([
      feedback('f1', 'positive', 'customer', T0 + 1),
      feedback('f2', 'negative', 'platform', T0 + 2),
      feedback('f3', 'positive', 'platform', T0 + HOUR + 3),
      feedback('f4', 'negative', 'auto', T0 + HOUR + 4),
    ])
    .execute();
  const hour = { project_id: 'p1', environment: 'prod' };
  await db
    .insertInto('rollup_hourly')
    .values([
      { ...hour, bucket: T0, conversations: 1, fb_positive: 1, fb_negative: 1 },
      { ...hour, bucket: T0 + HOUR, conversations: 0, fb_positive: 1, fb_negative: 1 },
    ])
    .execute();
}

const dialects: Array<[DialectName, () => Promise<OldStore>]> = [
  ['sqlite', sqliteAt0001],
  ['postgres', postgresAt0001],
];

describe.each(dialects)('upgrading a %s store to feedback kept apart by source', (dialect, make) => {
  const opened: OldStore[] = [];
  afterAll(async () => {
    for (const old of opened) await old.cleanup();
  });

  it('leaves customer feedback in fb_* and moves platform and automatic feedback out of it', async () => {
    const old = await make();
    opened.push(old);
    await migrateToLatest(old.db, dialect, BEFORE);
    await writeOldFeedback(old);
    const store = await old.open();
    expect(await store.migrate()).toContain('0009_feedback_sources');
    const detail = await store.getConversation('p1', 'c1');
    expect(detail?.conversation.feedback).toEqual({ positive: 1, neutral: 0, negative: 0 });
    const metrics = await store.getMetrics('p1', { from: T0, to: T0 + 2 * HOUR - 1, bucket: 'hour' });
    expect(metrics.totals.feedback).toEqual({ positive: 1, neutral: 0, negative: 0 });
    expect(metrics.totals.platformFeedback).toEqual({ positive: 1, neutral: 0, negative: 1 });
    expect(metrics.totals.autoFeedback).toEqual({ positive: 0, neutral: 0, negative: 1 });
    expect(metrics.series.map((point) => [point.feedback.positive, point.platformFeedback.negative])).toEqual(
      [
        [1, 1],
        [0, 0],
      ],
    );
  });
});
