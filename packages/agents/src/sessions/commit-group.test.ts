import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentInputItem, SessionHistoryTransactionArgs } from '@openai/agents';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionConflictError } from '../errors.ts';
import { CommitGroup } from './commit-group.ts';
import { beginSessionTurn, type TurnTarget } from './session-turn.ts';
import { closeSessionDatabases, openSessionDatabase, SqliteSession } from './sqlite-session.ts';
import { sqliteSessions } from './sqlite-sessions.ts';

const dir = mkdtempSync(join(tmpdir(), 'sl-commit-group-'));
afterAll(() => {
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
});

const user = (text: string) => ({ role: 'user', content: text }) as AgentInputItem;

describe('group commit of SQLite session turns', () => {
  it('commits the turns ending in one event-loop tick in one transaction, each stored when answered', async () => {
    const file = join(dir, 'grouped.db');
    const store = sqliteSessions(file);
    const turns = await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        const turn = beginSessionTurn(store.session(`chat-${index}`, 'alice'));
        await turn.addItems([user(`turn ${index}`)]);
        return turn;
      }),
    );
    await Promise.all(
      turns.map(async (turn, index) => {
        await store.commitTurn?.(turn);
        const items = await new SqliteSession(`chat-${index}`, file, { userId: 'alice' }).getItems();
        expect(items).toEqual([user(`turn ${index}`)]);
      }),
    );
    expect(store.commitStats).toEqual({ turns: 10, transactions: 1 });
  });

  it('fails a conflicting turn alone: the others of its transaction are stored', async () => {
    const db = openSessionDatabase(join(dir, 'conflict.db'));
    const group = new CommitGroup(db);
    const session = new SqliteSession('shared', db, { userId: 'alice' });
    const first = beginSessionTurn(session, { operationId: '0190a6d2-0000-7000-8000-000000000001' });
    await first.addItems([user('first')]);
    await first.commit();
    // Same operation id, different items: a conflict, in the same group as a good turn.
    const reused = beginSessionTurn(session, { operationId: '0190a6d2-0000-7000-8000-000000000001' });
    await reused.addItems([user('not the same')]);
    const good = beginSessionTurn(new SqliteSession('other', db, { userId: 'alice' }));
    await good.addItems([user('good')]);
    const results = await Promise.allSettled([group.commit(reused), group.commit(good)]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.any(SessionConflictError) });
    expect(results[1]).toEqual({ status: 'fulfilled', value: undefined });
    expect(group.stats).toEqual({ turns: 2, transactions: 1 });
    expect(await session.getItems()).toEqual([user('first')]);
    expect(await new SqliteSession('other', db, { userId: 'alice' }).getItems()).toEqual([user('good')]);
  });

  it('stores none of the turns when the shared COMMIT fails, and says so to each caller', async () => {
    const db = openSessionDatabase(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`);
    const orphan = db.prepare('INSERT INTO child (parent_id) VALUES (42)');
    // A session whose write is valid until COMMIT checks the deferred foreign key.
    const breaksCommit = {
      getSessionId: async () => 'breaks-commit',
      getItems: async () => [],
      addItems: async () => undefined,
      popItem: async () => undefined,
      clearSession: async () => undefined,
      applyHistoryTransaction: (_args: SessionHistoryTransactionArgs) => {
        orphan.run();
        return Promise.resolve();
      },
    } as TurnTarget;
    const group = new CommitGroup(db);
    const good = beginSessionTurn(new SqliteSession('good', db, { userId: 'alice' }));
    await good.addItems([user('kept?')]);
    const bad = beginSessionTurn(breaksCommit);
    await bad.addItems([user('orphan')]);
    const results = await Promise.allSettled([group.commit(good), group.commit(bad)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(await new SqliteSession('good', db, { userId: 'alice' }).getItems()).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM child').get()).toEqual({ n: 0 });
  });
});
