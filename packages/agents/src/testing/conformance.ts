/**
 * The session conformance suite: one set of behaviours every SDK session must have, run against any
 * session factory (MemorySession, SqliteSession, PostgresSession, yours). Test-runner agnostic: pass
 * `{ describe, it }` from vitest, node:test or jest.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  type AgentInputItem,
  isSessionHistoryTransactionAwareSession,
  MemorySession,
  type Session,
  type SessionHistoryTransactionAwareSession,
} from '@openai/agents-core';
import { SessionInputError } from '../errors.ts';
import { beginSessionTurn, withSessionTurn } from '../sessions/session-turn.ts';
import {
  checkCalculatorTurns,
  EVERY_KIND_EXPECTED_TYPES,
  runCalculatorTurn,
  runEveryKindScenario,
  runTurnAbortedInTool,
} from './sdk-scenarios.ts';
import { assistantMessage, sessionItemsOfEveryKind, userMessage } from './session-items.ts';

/** The slice of a test runner the suite needs. */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void>, timeout?: number): void;
}

/** Session with the optional listing our durable sessions add. */
type ListingSession = Session & {
  sessionsForUser?: (userId?: string) => Promise<Array<{ sessionId: string; itemCount: number }>>;
};

export interface SessionConformanceOptions {
  /** Suite name, e.g. `SqliteSession`. */
  name: string;
  /** Creates a session for an id (and a user, when `users` is set). */
  createSession(sessionId: string, options?: { userId?: string }): ListingSession | Promise<ListingSession>;
  /** Two sessions created with the same id share one history (false for MemorySession). Default true. */
  sharedStore?: boolean;
  /** Sessions are partitioned by user and list a user's sessions. Default false. */
  users?: boolean;
  /** Invalid items are rejected with SessionInputError before anything is stored. Default false. */
  validatesItems?: boolean;
}

/** Registers the conformance tests for one session implementation. */
export function describeSessionConformance(api: TestApi, options: SessionConformanceOptions): void {
  const { describe, it } = api;
  const fresh = async (userId?: string) => {
    const id = `conformance-${randomUUID()}`;
    return { id, session: await options.createSession(id, userId === undefined ? undefined : { userId }) };
  };
  /** Another handle on the same history: a new instance when the store is shared, else the same one. */
  const handle = async (id: string, session: ListingSession) =>
    options.sharedStore === false ? session : options.createSession(id);

  describe(`${options.name} conformance`, () => {
    it('starts empty and reports its id', async () => {
      const { id, session } = await fresh();
      assert.equal(await session.getSessionId(), id);
      assert.deepEqual(await session.getItems(), []);
      assert.equal(await session.popItem(), undefined);
    });

    it('returns items oldest first; getItems(limit) returns the newest `limit`', async () => {
      const { session } = await fresh();
      await session.addItems([userMessage('one'), assistantMessage('two')]);
      await session.addItems([userMessage('three')]);
      await session.addItems([]);
      assert.deepEqual(await session.getItems(), [
        userMessage('one'),
        assistantMessage('two'),
        userMessage('three'),
      ]);
      assert.deepEqual(await session.getItems(2), [assistantMessage('two'), userMessage('three')]);
      assert.deepEqual(await session.getItems(1), [userMessage('three')]);
      assert.deepEqual(await session.getItems(0), []);
      assert.equal((await session.getItems(50)).length, 3);
    });

    it('popItem removes and returns the newest item', async () => {
      const { session } = await fresh();
      await session.addItems([userMessage('a'), userMessage('b')]);
      assert.deepEqual(await session.popItem(), userMessage('b'));
      assert.deepEqual(await session.getItems(), [userMessage('a')]);
      await session.addItems([userMessage('c')]);
      assert.deepEqual(await session.getItems(), [userMessage('a'), userMessage('c')]);
      assert.deepEqual(await session.popItem(), userMessage('c'));
      assert.deepEqual(await session.popItem(), userMessage('a'));
      assert.equal(await session.popItem(), undefined);
    });

    it('clearSession empties this session only', async () => {
      const { session } = await fresh();
      const { session: other } = await fresh();
      await session.addItems([userMessage('mine')]);
      await other.addItems([userMessage('theirs')]);
      await session.clearSession();
      assert.deepEqual(await session.getItems(), []);
      assert.deepEqual(await other.getItems(), [userMessage('theirs')]);
      await session.addItems([userMessage('again')]);
      assert.deepEqual(await session.getItems(), [userMessage('again')]);
    });

    it('round-trips an item of every protocol kind exactly', async () => {
      const { id, session } = await fresh();
      const items = sessionItemsOfEveryKind();
      await session.addItems(items);
      const reread = await handle(id, session);
      assert.deepEqual(await reread.getItems(), items);
    });

    it('stores what real SDK runs produce (messages, reasoning, handoffs, tool calls, approvals)', async () => {
      const { session } = await fresh();
      const reference = new MemorySession();
      await runEveryKindScenario(session);
      await runEveryKindScenario(reference);
      const stored = await session.getItems();
      assert.deepEqual(asJson(stored), asJson(await reference.getItems()));
      const types = new Set(stored.map((item) => item.type ?? 'message'));
      for (const type of EVERY_KIND_EXPECTED_TYPES) assert.ok(types.has(type), `history lacks ${type} items`);
      assert.ok(JSON.stringify(stored).includes('transfer_to_'), 'history lacks the handoff');
      assert.ok(JSON.stringify(stored).includes('Deleted note 1'), 'history lacks the approved tool output');
    });

    it('concurrent writers to one session lose and duplicate nothing', async () => {
      const { id, session } = await fresh();
      const writers = await Promise.all(Array.from({ length: 50 }, () => handle(id, session)));
      await Promise.all(
        writers.map((writer, w) =>
          writer.addItems([userMessage(`w${w}-0`), userMessage(`w${w}-1`), userMessage(`w${w}-2`)]),
        ),
      );
      const texts = (await session.getItems()).map((item) => (item as { content: string }).content);
      assert.equal(texts.length, 150);
      assert.equal(new Set(texts).size, 150);
      for (let at = 0; at < texts.length; at += 3) {
        const writer = texts[at]?.split('-')[0];
        assert.deepEqual(texts.slice(at, at + 3), [`${writer}-0`, `${writer}-1`, `${writer}-2`]);
      }
    });

    it('50 concurrent agent runs on one session lose and duplicate nothing', async () => {
      const { id, session } = await fresh();
      const handles = await Promise.all(Array.from({ length: 50 }, () => handle(id, session)));
      await Promise.all(handles.map((runSession, n) => runCalculatorTurn(runSession, n)));
      assert.deepEqual(checkCalculatorTurns(await session.getItems(), 50), []);
    }, 60_000);

    it('keeps a 10,000-item history in order, with limited reads and pop', async () => {
      const { id, session } = await fresh();
      for (let batch = 0; batch < 10; batch += 1) {
        await session.addItems(
          Array.from({ length: 1000 }, (_, i) => userMessage(`item ${batch * 1000 + i}`)),
        );
      }
      const all = await (await handle(id, session)).getItems();
      assert.equal(all.length, 10_000);
      all.forEach((item, index) => {
        if ((item as { content: string }).content !== `item ${index}`)
          assert.fail(`item ${index} out of order`);
      });
      assert.deepEqual(await session.getItems(2), [userMessage('item 9998'), userMessage('item 9999')]);
      assert.deepEqual(await session.popItem(), userMessage('item 9999'));
      assert.equal((await session.getItems()).length, 9_999);
    }, 60_000);

    describeTransactions(api, fresh, handle);

    if (options.users) {
      it("partitions histories by user and lists a user's sessions", async () => {
        const id = `conformance-${randomUUID()}`;
        const alice = await options.createSession(id, { userId: `alice-${id}` });
        const bob = await options.createSession(id, { userId: `bob-${id}` });
        await alice.addItems([userMessage('alice secret')]);
        await bob.addItems([userMessage('bob secret'), userMessage('bob again')]);
        assert.deepEqual(await alice.getItems(), [userMessage('alice secret')]);
        assert.equal((await bob.getItems()).length, 2);
        const second = await options.createSession(`${id}-2`, { userId: `alice-${id}` });
        await second.addItems([userMessage('second')]);
        const listed = (await alice.sessionsForUser?.()) ?? [];
        assert.deepEqual(listed.map((entry) => [entry.sessionId, entry.itemCount]).sort(), [
          [id, 1],
          [`${id}-2`, 1],
        ]);
      });
    }

    if (options.validatesItems) {
      it('rejects an invalid item with SessionInputError naming it, storing nothing', async () => {
        const { session } = await fresh();
        const bad = [userMessage('fine'), { type: 'function_call', name: 'x' }] as AgentInputItem[];
        await assert.rejects(session.addItems(bad), (error: unknown) => {
          assert.ok(error instanceof SessionInputError);
          assert.match(error.message, /^items\.1/);
          return true;
        });
        assert.deepEqual(await session.getItems(), []);
      });
    }
  });
}

/** JSON-normalized (undefined-valued keys dropped): what any durable store can promise to keep. */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

type Fresh = () => Promise<{ id: string; session: ListingSession }>;
type Handle = (id: string, session: ListingSession) => Promise<ListingSession>;

function transactional(session: Session): SessionHistoryTransactionAwareSession {
  assert.ok(isSessionHistoryTransactionAwareSession(session), 'session lacks applyHistoryTransaction');
  return session;
}

function describeTransactions(api: TestApi, fresh: Fresh, handle: Handle): void {
  const { it } = api;
  const append = (items: AgentInputItem[]) => ({ type: 'append_items' as const, items });

  it('applies an append transaction once per operation id (a retry stores nothing more)', async () => {
    const { session } = await fresh();
    const tx = transactional(session);
    await tx.applyHistoryTransaction({ operationId: 'op-1', transaction: append([userMessage('once')]) });
    await tx.applyHistoryTransaction({ operationId: 'op-1', transaction: append([userMessage('once')]) });
    assert.deepEqual(await session.getItems(), [userMessage('once')]);
  });

  it('rejects an operation id reused for a different transaction, changing nothing', async () => {
    const { session } = await fresh();
    const tx = transactional(session);
    await tx.applyHistoryTransaction({ operationId: 'op-1', transaction: append([userMessage('first')]) });
    await assert.rejects(async () =>
      tx.applyHistoryTransaction({ operationId: 'op-1', transaction: append([userMessage('other')]) }),
    );
    assert.deepEqual(await session.getItems(), [userMessage('first')]);
  });

  it('replace_suffix replaces a matching suffix and rejects a stale one', async () => {
    const { session } = await fresh();
    const tx = transactional(session);
    await session.addItems([userMessage('keep'), assistantMessage('draft')]);
    const transaction = {
      type: 'replace_suffix' as const,
      expectedSuffix: [assistantMessage('draft')],
      replacement: [assistantMessage('final'), userMessage('next')],
    };
    await tx.applyHistoryTransaction({ operationId: 'replace-1', transaction });
    await tx.applyHistoryTransaction({ operationId: 'replace-1', transaction });
    const expected = [userMessage('keep'), assistantMessage('final'), userMessage('next')];
    assert.deepEqual(await session.getItems(), expected);
    await assert.rejects(async () =>
      tx.applyHistoryTransaction({ operationId: 'replace-2', transaction: { ...transaction } }),
    );
    assert.deepEqual(await session.getItems(), expected);
  });

  it('concurrent retries of one transaction store it once', async () => {
    const { id, session } = await fresh();
    await session.addItems([userMessage('before')]);
    const handles = await Promise.all(Array.from({ length: 10 }, () => handle(id, session)));
    const transaction = append([userMessage('retried'), assistantMessage('reply')]);
    await Promise.all(
      handles.map((h) => transactional(h).applyHistoryTransaction({ operationId: 'op-retry', transaction })),
    );
    assert.deepEqual(await session.getItems(), [
      userMessage('before'),
      userMessage('retried'),
      assistantMessage('reply'),
    ]);
  });

  it('an atomic turn stores a finished run whole and once; a run aborted mid-turn leaves nothing', async () => {
    const { session } = await fresh();
    const tx = transactional(session);
    await withSessionTurn(tx, (turn) => runCalculatorTurn(turn, 0), { operationId: 'turn-0' });
    const after = await session.getItems();
    assert.deepEqual(checkCalculatorTurns(after, 1), []);
    const retry = beginSessionTurn(tx, { operationId: 'turn-0' });
    await retry.addItems(after);
    await retry.commit();
    assert.deepEqual(await session.getItems(), after, 'a retried commit must store nothing more');
    await assert.rejects(withSessionTurn(tx, (turn) => runTurnAbortedInTool(turn)));
    assert.deepEqual(await session.getItems(), after, 'an aborted turn must leave the history as before');
  });
}
