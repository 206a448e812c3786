import type { AgentInputItem } from '@openai/agents';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from '../../test/postgres-schema.ts';
import { SessionConflictError, SessionStorageError } from '../errors.ts';
import { EncodedItem } from './history-change.ts';
import { PostgresAppendGroup } from './postgres-append-group.ts';
import { PostgresSession } from './postgres-session.ts';
import { postgresSessions } from './postgres-sessions.ts';
import { beginSessionTurn } from './session-turn.ts';

const user = (text: string) => ({ role: 'user', content: text }) as AgentInputItem;

let postgres: TestSchema;
const pools: pg.Pool[] = [];
beforeAll(async () => {
  postgres = await createTestSchema('appends');
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await postgres.drop();
});

/** A pool on the test schema counting the statements its clients send. */
function countingPool(): { pool: pg.Pool; statements: string[] } {
  const statements: string[] = [];
  class Counting extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this only records
    override query(...args: any[]): any {
      const first = args[0] as string | { name?: string; text?: string };
      statements.push(typeof first === 'string' ? first : (first.name ?? first.text ?? ''));
      // biome-ignore lint/suspicious/noExplicitAny: see above
      return (super.query as (...a: any[]) => any)(...args);
    }
  }
  const pool = new pg.Pool({ connectionString: postgres.url, max: 10, Client: Counting });
  pools.push(pool);
  return { pool, statements };
}

async function stagedTurn(store: ReturnType<typeof postgresSessions>, id: string, text: string) {
  const turn = beginSessionTurn(store.session(id, 'alice'));
  await turn.addItems([user(text), user(`${text} (answer)`)]);
  return turn;
}

const itemsOf = (id: string, userId = 'alice') =>
  new PostgresSession(id, postgres.pool, { userId }).getItems();

describe('group commit of PostgreSQL session appends', () => {
  it('stores the turns ending together in one statement, each stored when answered', async () => {
    const { pool, statements } = countingPool();
    const store = postgresSessions(pool);
    await store.session('warm-up', 'alice').addItems([user('creates the tables')]);
    const before = statements.length;
    const turns = await Promise.all(
      Array.from({ length: 10 }, (_, index) => stagedTurn(store, `grouped-${index}`, `turn ${index}`)),
    );
    await Promise.all(
      turns.map(async (turn, index) => {
        await turn.commit();
        expect(await itemsOf(`grouped-${index}`)).toEqual([
          user(`turn ${index}`),
          user(`turn ${index} (answer)`),
        ]);
      }),
    );
    expect(statements.slice(before)).toEqual(['sightline_session_appends']);
    expect(store.commitStats).toEqual({ turns: 11, transactions: 2 });
  });

  it('takes one append per session per statement, in arrival order', async () => {
    const { pool } = countingPool();
    const store = postgresSessions(pool);
    const session = store.session('twice', 'alice');
    await Promise.all([
      session.addItems([user('first')]),
      session.addItems([user('second'), user('third')]),
      store.session('other', 'alice').addItems([user('elsewhere')]),
    ]);
    expect(await itemsOf('twice')).toEqual([user('first'), user('second'), user('third')]);
    expect(store.commitStats).toEqual({ turns: 3, transactions: 2 });
    const counters = await postgres.pool.query(
      `SELECT next_position::int AS next, item_count::int AS count FROM agent_sessions
       WHERE user_id = 'alice' AND session_id = 'twice'`,
    );
    expect(counters.rows).toEqual([{ next: 3, count: 3 }]);
  });

  it('answers a retried turn as stored without storing it twice, and a reused id as a conflict, alone', async () => {
    const store = postgresSessions(countingPool().pool);
    const first = await stagedTurn(store, 'retried', 'once');
    await first.commit();
    const retry = beginSessionTurn(store.session('retried', 'alice'), { operationId: first.operationId });
    await retry.addItems([user('once'), user('once (answer)')]);
    const reused = beginSessionTurn(store.session('reused', 'alice'), { operationId: 'op-reused' });
    await reused.addItems([user('a')]);
    await reused.commit();
    const clash = beginSessionTurn(store.session('reused', 'alice'), { operationId: 'op-reused' });
    await clash.addItems([user('b')]);
    const neighbour = await stagedTurn(store, 'neighbour', 'fine');
    const results = await Promise.allSettled([retry.commit(), clash.commit(), neighbour.commit()]);
    expect(results[0].status).toBe('fulfilled');
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(SessionConflictError);
    expect(results[2].status).toBe('fulfilled');
    expect(await itemsOf('retried')).toEqual([user('once'), user('once (answer)')]);
    expect(await itemsOf('reused')).toEqual([user('a')]);
    expect(await itemsOf('neighbour')).toEqual([user('fine'), user('fine (answer)')]);
  });

  it('fails every append of a failed statement, storing and acknowledging none, then goes on', async () => {
    const pool = countingPool().pool;
    const failures: unknown[] = [];
    const group = new PostgresAppendGroup(pool, {
      ready: async () => undefined,
      failure: (error) => new SessionStorageError('group failed', { cause: error }),
    });
    const append = (sessionId: string, json: string) =>
      group.append(
        { userId: 'alice', sessionId },
        {
          operationId: `op-${sessionId}`,
          fingerprint: 'f',
          expectedSuffix: [],
          append: [new EncodedItem(json)],
        },
      );
    // PostgreSQL text cannot hold U+0000: the statement fails as a whole.
    const results = await Promise.allSettled([
      append('failed-a', JSON.stringify(user('a'))),
      append('failed-b', '"\u0000"'),
      append('failed-c', JSON.stringify(user('c'))),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      failures.push((result as PromiseRejectedResult).reason);
    }
    for (const failure of failures) expect(failure).toBeInstanceOf(SessionStorageError);
    for (const id of ['failed-a', 'failed-b', 'failed-c']) expect(await itemsOf(id)).toEqual([]);
    const operations = await pool.query(
      "SELECT count(*)::int AS n FROM agent_session_operations WHERE session_id LIKE 'failed-%'",
    );
    expect(operations.rows[0]).toEqual({ n: 0 });
    expect(group.stats).toEqual({ turns: 0, transactions: 0 });
    await expect(append('failed-a', JSON.stringify(user('a')))).resolves.toBe(true);
    expect(await itemsOf('failed-a')).toEqual([user('a')]);
  });

  it('never deadlocks two nodes appending to the same sessions in opposite orders', async () => {
    const [a, b] = [postgresSessions(countingPool().pool), postgresSessions(countingPool().pool)];
    const ids = Array.from({ length: 200 }, (_, index) => `crossed-${index}`);
    const round = (store: typeof a, order: string[], label: string) =>
      Promise.all(order.map((id) => store.session(id, 'bob').addItems([user(`${label} ${id}`)])));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await Promise.all([round(a, ids, `a${attempt}`), round(b, [...ids].reverse(), `b${attempt}`)]);
    }
    for (const id of ids) {
      const items = await itemsOf(id, 'bob');
      expect(items).toHaveLength(10);
      expect(new Set(items.map((item) => (item as { content: string }).content)).size).toBe(10);
    }
  });
});
