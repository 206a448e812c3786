import { MemorySession, RunContext } from '@openai/agents';
import { describe, expect, it } from 'vitest';
import { SessionConflictError, SessionInputError, SessionTurnClosedError } from '../errors.ts';
import { assistantMessage, userMessage } from '../testing/session-items.ts';
import { EncodedItem, legacyTurnFingerprint } from './history-change.ts';
import { beginSessionTurn } from './session-turn.ts';
import { openSessionDatabase, SqliteSession } from './sqlite-session.ts';

const db = openSessionDatabase(':memory:');
let counter = 0;
const fresh = (options = {}) => new SqliteSession(`turn-${counter++}`, db, options);

describe('SessionTurn: staged writes, one atomic commit', () => {
  it('shows the future history while staged, writes nothing until commit', async () => {
    const session = fresh();
    await session.addItems([userMessage('a'), assistantMessage('b')]);
    const turn = session.beginTurn();
    await turn.addItems([userMessage('c')]);
    expect(await turn.getItems()).toEqual([userMessage('a'), assistantMessage('b'), userMessage('c')]);
    expect(await turn.getItems(2)).toEqual([assistantMessage('b'), userMessage('c')]);
    expect(await session.getItems()).toHaveLength(2);
    await turn.commit();
    expect(await session.getItems()).toEqual([userMessage('a'), assistantMessage('b'), userMessage('c')]);
    expect(turn.state).toBe('committed');
    await turn.commit();
    expect(await session.getItems()).toHaveLength(3);
    await expect(turn.addItems([userMessage('late')])).rejects.toBeInstanceOf(SessionTurnClosedError);
  });

  it('pops staged items first, then committed ones, committing the removal as a suffix replacement', async () => {
    const session = fresh();
    await session.addItems([userMessage('keep'), assistantMessage('drop')]);
    const turn = session.beginTurn();
    await turn.addItems([userMessage('staged')]);
    expect(await turn.popItem()).toEqual(userMessage('staged'));
    expect(await turn.popItem()).toEqual(assistantMessage('drop'));
    await turn.addItems([assistantMessage('replacement')]);
    expect(await turn.getItems()).toEqual([userMessage('keep'), assistantMessage('replacement')]);
    await turn.commit();
    expect(await session.getItems()).toEqual([userMessage('keep'), assistantMessage('replacement')]);
  });

  it('a turn that removed items conflicts, changing nothing, when someone else wrote meanwhile', async () => {
    const session = fresh();
    await session.addItems([userMessage('one')]);
    const turn = session.beginTurn();
    await turn.clearSession();
    await turn.addItems([userMessage('fresh start')]);
    await session.addItems([userMessage('concurrent')]);
    await expect(turn.commit()).rejects.toBeInstanceOf(SessionConflictError);
    expect(await session.getItems()).toEqual([userMessage('one'), userMessage('concurrent')]);
  });

  it('a turn retried with its operation id stores nothing more; the id reused for other items is a conflict', async () => {
    const session = fresh();
    const commitTurn = async (operationId: string, text: string) => {
      const turn = session.beginTurn({ operationId });
      await turn.addItems([userMessage(text), assistantMessage(`re: ${text}`)]);
      await turn.commit();
    };
    await commitTurn('op-1', 'first');
    await commitTurn('op-1', 'first'); // the retry of a commit whose answer was lost
    expect(await session.getItems()).toEqual([userMessage('first'), assistantMessage('re: first')]);
    await expect(commitTurn('op-1', 'firsT')).rejects.toBeInstanceOf(SessionConflictError);
    await expect(commitTurn('op-1', 'first')).resolves.toBeUndefined();
    expect(await session.getItems()).toHaveLength(2);
  });

  it('a retry finds a turn an earlier version stored (sha256 fingerprint) and stores nothing more', async () => {
    const session = fresh();
    const turn = session.beginTurn({ operationId: 'before-upgrade' });
    await turn.addItems([userMessage('stored by 0.1')]);
    await turn.commit();
    const id = await session.getSessionId();
    const items = [new EncodedItem(JSON.stringify(userMessage('stored by 0.1')))];
    session.database
      .prepare(
        'UPDATE agent_session_operations SET fingerprint = ? WHERE session_id = ? AND operation_id = ?',
      )
      .run(legacyTurnFingerprint([], items), id, 'before-upgrade');
    const retry = session.beginTurn({ operationId: 'before-upgrade' });
    await retry.addItems([userMessage('stored by 0.1')]);
    await retry.commit();
    expect(await session.getItems()).toEqual([userMessage('stored by 0.1')]);
  });

  it('on SQLite, records the operation id of a turn given one, not of a turn that made its own', async () => {
    const session = fresh();
    const id = await session.getSessionId();
    const recorded = () =>
      session.database
        .prepare('SELECT operation_id FROM agent_session_operations WHERE session_id = ?')
        .pluck()
        .all(id);
    const own = session.beginTurn();
    await own.addItems([userMessage('made its own id')]);
    await own.commit();
    expect(recorded()).toEqual([]);
    const given = session.beginTurn({ operationId: 'request-7' });
    await given.addItems([userMessage('given an id')]);
    await given.commit();
    expect(recorded()).toEqual(['request-7']);
    // A made-up id read from outside may be retried elsewhere: it is recorded, and the retry is a no-op.
    const shared = session.beginTurn();
    const sharedId = shared.operationId;
    await shared.addItems([userMessage('id read by the caller')]);
    await shared.commit();
    expect(recorded()).toContain(sharedId);
    const retry = session.beginTurn({ operationId: sharedId });
    await retry.addItems([userMessage('id read by the caller')]);
    await retry.commit();
    expect(await session.getItems()).toHaveLength(3);
  });

  it('a discarded turn writes nothing; the SDK transaction interface works on the staged view', async () => {
    const session = fresh();
    const turn = session.beginTurn();
    await turn.applyHistoryTransaction({
      operationId: 'x',
      transaction: { type: 'append_items', items: [userMessage('q')] },
    });
    await turn.applyHistoryTransaction({
      operationId: 'x',
      transaction: { type: 'append_items', items: [userMessage('q')] },
    });
    await turn.applyHistoryTransaction({
      operationId: 'y',
      transaction: {
        type: 'replace_suffix',
        expectedSuffix: [userMessage('q')],
        replacement: [userMessage('q2')],
      },
    });
    expect(turn.stagedItems).toEqual([userMessage('q2')]);
    turn.discard();
    expect(await session.getItems()).toEqual([]);
  });

  it('commits to the SDK MemorySession through its public transaction interface', async () => {
    const memory = new MemorySession({ sessionId: 'mem' });
    await memory.addItems([userMessage('old')]);
    const turn = beginSessionTurn(memory, { operationId: 'op' });
    await turn.popItem();
    await turn.addItems([userMessage('new')]);
    await turn.commit();
    expect(await memory.getItems()).toEqual([userMessage('new')]);
  });
});

describe('session input errors name the field', () => {
  it('rejects bad session ids, limits, operation ids and items with SessionInputError', () => {
    expect(() => new SqliteSession('', db)).toThrow(SessionInputError);
    expect(() => new SqliteSession('x'.repeat(257), db)).toThrow(/sessionId: must be at most 256 characters/);
    expect(() => new SqliteSession('a\nb', db)).toThrow(/control characters/);
    expect(() => new SqliteSession('ok', db, { userId: '' })).toThrow(/userId/);
  });

  it('rejects bad arguments at call time', async () => {
    const session = fresh();
    await expect(session.getItems(-1)).rejects.toThrow(/limit: must be a non-negative integer/);
    await expect(session.addItems('nope' as never)).rejects.toThrow(/items: must be an array/);
    await expect(session.addItems([{ role: 'robot', content: 'x' } as never])).rejects.toThrow(
      /items\.0\.role/,
    );
    const cyclic: Record<string, unknown> = { type: 'message', role: 'user', content: 'x' };
    cyclic.self = cyclic;
    await expect(session.addItems([cyclic as never])).rejects.toThrow(/items\.0: must be JSON-serializable/);
    await expect(
      session.applyHistoryTransaction({ operationId: ' ', transaction: { type: 'append_items', items: [] } }),
    ).rejects.toThrow(/operationId: must be a non-empty string/);
    await expect(
      session.applyHistoryTransaction({ operationId: 'o', transaction: { type: 'delete_all' } as never }),
    ).rejects.toThrow(/transaction\.type/);
    await expect(session.sessionsForUser(undefined, { limit: 0 })).rejects.toThrow(
      /limit: must be an integer from 1 to 1000/,
    );
    expect(await session.getItems()).toEqual([]);
  });
});

describe('the user of a session, read from the run context', () => {
  interface Ctx {
    user: string;
  }
  const byContext = (id: string) => new SqliteSession<Ctx>(id, db, { userId: (context) => context.user });

  it('partitions by the user the run context names, and refuses a different one later', async () => {
    const alice = byContext('shared-id');
    await alice.addItems([userMessage('from alice')], new RunContext({ user: 'alice' }));
    expect(alice.userId).toBe('alice');
    expect(await alice.getItems()).toEqual([userMessage('from alice')]);
    const bob = byContext('shared-id');
    expect(await bob.getItems(undefined, new RunContext({ user: 'bob' }))).toEqual([]);
    await expect(alice.getItems(undefined, new RunContext({ user: 'bob' }))).rejects.toThrow(
      /different user/,
    );
    await expect(byContext('other').getItems()).rejects.toThrow(/userId: is read from the run context/);
  });
});
