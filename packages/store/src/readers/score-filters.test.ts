/**
 * The two ways a score filter is read (score-filters.ts) on both dialects: the count chooses `scores`
 * when fewer than fewScores(conversations) scores of the name and range exist and `conversations`
 * otherwise, both ways select the same conversations for every kind of filter, and the list pages them
 * newest first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScoreFilter } from '@sightline/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectAdapter } from '../dialect.ts';
import { openPostgres } from '../dialects/postgres.ts';
import { openSqlite } from '../dialects/sqlite.ts';
import { createStore, type Store } from '../store.ts';
import { messageEvent, parseEvents, scoreEvent } from '../testing/events.ts';
import { createTestPostgresStore } from '../testing/postgres-fixture.ts';
import type { ReadContext } from './conversations.ts';
import { fewScores, planScoreFilter, type ScoreFilterPlan, scoreCondition } from './score-filters.ts';

const PER_CONVERSATION = 10;
const CONVERSATIONS = 400;
const QUALITY_SCORES = CONVERSATIONS * PER_CONVERSATION;
const T0 = Date.UTC(2026, 3, 6, 9, 0, 0);

interface Seeded {
  id: string;
  at: number;
  scores: Array<{ name: string; value: number | boolean | string; source: 'human' | 'code' | 'model' }>;
}

const TOPICS = ['billing', 'orders', 'account', 'notes', 'weather'];

/**
 * Conversation i: a message at minute i, ten `quality` scores, a `topic` category (from the model or
 * from code) and some `label` and `flag` scores.
 */
function seed(): Seeded[] {
  return Array.from({ length: CONVERSATIONS }, (_, i) => {
    const scores: Seeded['scores'] = Array.from({ length: PER_CONVERSATION }, (_, j) => ({
      name: 'quality',
      value: (i * PER_CONVERSATION + j) / (QUALITY_SCORES - 1),
      source: j % 2 === 0 ? 'model' : 'human',
    }));
    scores.push({ name: 'topic', value: TOPICS[i % 5] as string, source: i % 4 < 2 ? 'model' : 'code' });
    if (i % 7 === 0) scores.push({ name: 'label', value: i % 14 === 0 ? 'rare' : 'common', source: 'code' });
    if (i % 3 === 0) scores.push({ name: 'flag', value: i % 2 === 0, source: 'human' });
    return { id: `plan-${String(i).padStart(4, '0')}`, at: T0 + i * 60_000, scores };
  });
}

/** Whether a seeded score passes the filter, as the store is meant to read it. */
function passes(score: Seeded['scores'][number], filter: ScoreFilter): boolean {
  if (score.name !== filter.scoreName) return false;
  if (filter.scoreSource !== undefined && score.source !== filter.scoreSource) return false;
  const num = typeof score.value === 'boolean' ? Number(score.value) : score.value;
  if (filter.scoreMin !== undefined && !(typeof num === 'number' && num >= filter.scoreMin)) return false;
  if (filter.scoreMax !== undefined && !(typeof num === 'number' && num <= filter.scoreMax)) return false;
  if (filter.scoreValue !== undefined) {
    const v = filter.scoreValue;
    if (typeof score.value === 'string') return score.value === v;
    if (typeof score.value === 'boolean') return (v === 'true' || v === 'false') && String(score.value) === v;
    return v.trim() !== '' && Number(v) === score.value;
  }
  return true;
}

const CASES: Array<{ filter: ScoreFilter; plan: ScoreFilterPlan }> = [
  { filter: { scoreName: 'quality' }, plan: 'conversations' },
  { filter: { scoreName: 'quality', scoreMin: 0 }, plan: 'conversations' },
  { filter: { scoreName: 'quality', scoreMin: 0.999 }, plan: 'scores' },
  { filter: { scoreName: 'quality', scoreMin: 0.5 }, plan: 'conversations' },
  {
    filter: { scoreName: 'quality', scoreMin: 0.2, scoreMax: 0.3, scoreSource: 'human' },
    plan: 'conversations',
  },
  { filter: { scoreName: 'quality', scoreMin: 0.2, scoreMax: 0.21, scoreSource: 'human' }, plan: 'scores' },
  { filter: { scoreName: 'quality', scoreValue: '1' }, plan: 'conversations' },
  { filter: { scoreName: 'quality', scoreSource: 'human', scoreMax: 0.01 }, plan: 'scores' },
  { filter: { scoreName: 'label', scoreValue: 'rare' }, plan: 'scores' },
  { filter: { scoreName: 'flag', scoreValue: 'true' }, plan: 'scores' },
  { filter: { scoreName: 'flag', scoreValue: 'false', agentVersion: 'none' }, plan: 'scores' },
  { filter: { scoreName: 'missing', scoreMin: 0 }, plan: 'scores' },
  // A category and source: counted by the name only (400 topics), so the list walks the conversations.
  { filter: { scoreName: 'topic', scoreValue: 'billing', scoreSource: 'model' }, plan: 'conversations' },
  { filter: { scoreName: 'topic', scoreSource: 'code' }, plan: 'conversations' },
];

for (const [dialect, open] of [
  ['sqlite', openSqliteTarget],
  ['postgres', openPostgresTarget],
] as const) {
  describe(`score filter plans: ${dialect}`, () => {
    let target: { store: Store; ctx: ReadContext; close: () => Promise<void> };
    let project: string;
    const seeded = seed();

    beforeAll(async () => {
      target = await open();
      project = (await target.store.createProject({ name: 'score plans' })).id;
      const events = seeded.flatMap((c) => [
        messageEvent({ conversationId: c.id }, { role: 'human', content: 'q', at: c.at }),
        ...c.scores.map((s) => scoreEvent({ conversationId: c.id }, { ...s, at: c.at + 1_000 })),
      ]);
      for (let i = 0; i < events.length; i += 1_000)
        await target.store.append(project, parseEvents(events.slice(i, i + 1_000)));
    }, 60_000);
    afterAll(async () => {
      await target?.close();
    });

    it('counts first: the matching scores when few can match, conversation by conversation otherwise', async () => {
      // 400 conversations: the list walks them once 240 scores may match.
      expect(fewScores(CONVERSATIONS)).toBe(240);
      expect(fewScores(1_000_000)).toBe(12_000);
      expect(fewScores(0)).toBe(100);
      for (const { filter, plan } of CASES)
        expect([filter, await planScoreFilter(target.ctx, project, filter)]).toEqual([filter, plan]);
    });

    it('selects the same conversations either way, those with a matching score', async () => {
      const read = async (filter: ScoreFilter, plan: ScoreFilterPlan) => {
        const rows = await target.ctx.db
          .selectFrom('conversations')
          .select('id')
          .where('project_id', '=', project)
          .where((eb) => scoreCondition(eb, { projectId: project, filter, plan, dialect }))
          .orderBy('id')
          .execute();
        return rows.map((row) => row.id);
      };
      for (const { filter } of CASES) {
        const expected = seeded
          .filter((c) => filter.agentVersion === undefined && c.scores.some((s) => passes(s, filter)))
          .map((c) => c.id);
        expect([filter, await read(filter, 'scores')]).toEqual([filter, expected]);
        expect([filter, await read(filter, 'conversations')]).toEqual([filter, expected]);
      }
    });

    // PostgreSQL only: SQLite has no parallel plans and no statistics object of this kind.
    if (dialect === 'postgres')
      it('expects as many conversations of a category and source as there are (statistics of migration 0013)', async () => {
        // Both tables analyzed as autovacuum would. Without the statistics on name, source, data type
        // and text value the planner multiplied their selectivities and expected 1 conversation of 40
        // (on 100,000, 982 scores of ~10,200: it walked the list in a parallel plan).
        await sql`analyze scores`.execute(target.ctx.db);
        await sql`analyze conversations`.execute(target.ctx.db);
        const filter: ScoreFilter = { scoreName: 'topic', scoreValue: 'billing', scoreSource: 'model' };
        const actual = seeded.filter((c) => c.scores.some((s) => passes(s, filter))).length;
        expect(actual).toBe(40);
        const explained = await target.ctx.db
          .selectFrom('conversations')
          .select('id')
          .where('project_id', '=', project)
          .where((eb) => scoreCondition(eb, { projectId: project, filter, plan: 'conversations', dialect }))
          .explain('json');
        const [root] = (explained[0]?.['QUERY PLAN'] ?? []) as Array<{ Plan: { 'Plan Rows': number } }>;
        const estimate = root?.Plan['Plan Rows'];
        expect(estimate).toBeGreaterThanOrEqual(actual / 2);
        expect(estimate).toBeLessThanOrEqual(actual * 2);
      });

    it('pages each filter newest first through the list', async () => {
      for (const { filter } of CASES) {
        const expected = seeded
          .filter((c) => filter.agentVersion === undefined && c.scores.some((s) => passes(s, filter)))
          .map((c) => c.id)
          .reverse();
        const listed: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await target.store.listConversations(project, {
            ...filter,
            limit: 200,
            ...(cursor ? { cursor } : {}),
          });
          listed.push(...page.data.map((c) => c.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect([filter, listed]).toEqual([filter, expected]);
      }
    });
  });
}

async function openSqliteTarget() {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-plans-'));
  const file = join(dir, 'store.db');
  const store = createStore({ sqlite: { file, durability: 'normal' } });
  await store.migrate();
  const connection = openSqlite({ file });
  return {
    store,
    ctx: readContext(connection),
    close: async () => {
      await connection.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgresTarget() {
  const { store, pool, drop } = await createTestPostgresStore();
  const connection = openPostgres({ pool });
  return {
    store,
    ctx: readContext(connection),
    close: async () => {
      await connection.close();
      await drop();
    },
  };
}

function readContext(connection: { db: ReadContext['db']; adapter: DialectAdapter }): ReadContext {
  return { db: connection.db, adapter: connection.adapter };
}
