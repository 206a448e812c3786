/**
 * The session store conformance suite: what every `SessionStore` of served agents must do (histories per
 * user and conversation, atomic and concurrent turns, paused runs claimed by exactly one caller), run
 * against memory, SQLite and PostgreSQL stores, or yours. Test-runner agnostic: pass `{ describe, it }`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { commitStoreTurn, type PendingRun, type SessionStore } from '../sessions/session-store.ts';
import { beginSessionTurn } from '../sessions/session-turn.ts';
import type { TestApi } from './conformance.ts';
import { assistantMessage, userMessage } from './session-items.ts';

export interface SessionStoreConformanceOptions {
  /** Suite name, e.g. `postgresSessions`. */
  name: string;
  /** A store to test (tests use fresh ids, so one store may serve every test). */
  createStore(): SessionStore | Promise<SessionStore>;
  /**
   * Another store on the same storage, as a second process would open it (its own connection or pool).
   * Omit for stores that live in one process's memory.
   */
  openAgain?(): SessionStore | Promise<SessionStore>;
}

/** A paused run to store; ids are fresh unless given. */
export function pausedRun(overrides: Partial<PendingRun> = {}): PendingRun {
  const approvalId = `call_${randomUUID()}`;
  return {
    runId: randomUUID(),
    agent: 'calculator',
    conversationId: `conversation-${randomUUID()}`,
    userId: 'alice',
    customerId: 'customer-1',
    state: JSON.stringify({ $schemaVersion: '1.0', note: 'a serialized RunState, unicode ✓ "quoted"' }),
    stagedItems: [userMessage('what is 6 * 7')],
    approvals: [
      {
        approvalId,
        toolCallId: approvalId,
        toolName: 'calculate',
        agent: 'calculator',
        arguments: { expression: '6 * 7' },
      },
    ],
    persist: true,
    nextFrameId: 12,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STALE_NEVER = 60_000;

/** Registers the conformance tests for one session store. */
export function describeSessionStoreConformance(api: TestApi, options: SessionStoreConformanceOptions): void {
  const { describe } = api;
  describe(`${options.name} session store conformance`, () => {
    describeHistories(api, options);
    describePendingRuns(api, options);
    if (options.openAgain) describeSharing(api, options, options.openAgain);
  });
}

function describeHistories(api: TestApi, options: SessionStoreConformanceOptions): void {
  const { it } = api;
  it('keeps one history per user and conversation', async () => {
    const store = await options.createStore();
    const id = `conversation-${randomUUID()}`;
    await store.session(id, 'alice').addItems([userMessage('alice here')]);
    await store.session(id, '').addItems([userMessage('anonymous')]);
    assert.deepEqual(await store.session(id, 'alice').getItems(), [userMessage('alice here')]);
    assert.deepEqual(await store.session(id, '').getItems(), [userMessage('anonymous')]);
    assert.deepEqual(await store.session(id, 'bob').getItems(), []);
    assert.equal(await store.session(id, 'alice').getSessionId(), id);
  });

  it('stores a turn whole when it is committed, and nothing before', async () => {
    const store = await options.createStore();
    const id = `conversation-${randomUUID()}`;
    const turn = beginSessionTurn(store.session(id, 'alice'));
    await turn.addItems([userMessage('hi'), assistantMessage('hello')]);
    assert.deepEqual(await store.session(id, 'alice').getItems(), []);
    await commitStoreTurn(store, turn);
    assert.deepEqual(await store.session(id, 'alice').getItems(), [
      userMessage('hi'),
      assistantMessage('hello'),
    ]);
  });

  it('stores each of 20 turns ending together before its commit resolves', async () => {
    const store = await options.createStore();
    const ids = Array.from({ length: 20 }, (_, index) => `conversation-${index}-${randomUUID()}`);
    const turns = await Promise.all(
      ids.map(async (id, index) => {
        const turn = beginSessionTurn(store.session(id, 'alice'));
        await turn.addItems([userMessage(`question ${index}`), assistantMessage(`answer ${index}`)]);
        return turn;
      }),
    );
    const seen = await Promise.all(
      turns.map(async (turn, index) => {
        await commitStoreTurn(store, turn);
        return store.session(ids[index] as string, 'alice').getItems();
      }),
    );
    seen.forEach((items, index) => {
      assert.deepEqual(items, [userMessage(`question ${index}`), assistantMessage(`answer ${index}`)]);
    });
  });

  it('fails a conflicting turn alone: the turn committed with it is stored', async () => {
    const store = await options.createStore();
    const shared = `conversation-${randomUUID()}`;
    const other = `conversation-${randomUUID()}`;
    const operationId = randomUUID();
    const first = beginSessionTurn(store.session(shared, 'alice'), { operationId });
    await first.addItems([userMessage('first')]);
    await commitStoreTurn(store, first);
    // The same operation id with other items: a conflict, ending in the same tick as a good turn.
    const reused = beginSessionTurn(store.session(shared, 'alice'), { operationId });
    await reused.addItems([userMessage('not the same')]);
    const good = beginSessionTurn(store.session(other, 'alice'));
    await good.addItems([userMessage('good')]);
    const results = await Promise.allSettled([commitStoreTurn(store, reused), commitStoreTurn(store, good)]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['rejected', 'fulfilled'],
    );
    assert.deepEqual(await store.session(shared, 'alice').getItems(), [userMessage('first')]);
    assert.deepEqual(await store.session(other, 'alice').getItems(), [userMessage('good')]);
  });
}

function describePendingRuns(api: TestApi, options: SessionStoreConformanceOptions): void {
  const { it } = api;
  it('round-trips a paused run exactly', async () => {
    const store = await options.createStore();
    const run = pausedRun();
    await store.savePending(run);
    assert.deepEqual(await store.getPending(run.runId), run);
    const anonymous = pausedRun({ userId: '', customerId: undefined, persist: false });
    await store.savePending(anonymous);
    const read = await store.getPending(anonymous.runId);
    assert.equal(read?.customerId, undefined);
    assert.deepEqual({ ...read, customerId: undefined }, { ...anonymous, customerId: undefined });
    assert.equal(await store.getPending(randomUUID()), undefined);
  });

  it('finds the paused run of a conversation, for its user only', async () => {
    const store = await options.createStore();
    const run = pausedRun();
    await store.savePending(run);
    assert.deepEqual(await store.pendingOf(run.conversationId, 'alice'), run);
    assert.equal(await store.pendingOf(run.conversationId, 'bob'), undefined);
    assert.equal(await store.pendingOf(run.conversationId, ''), undefined);
    assert.equal(await store.pendingOf(`conversation-${randomUUID()}`, 'alice'), undefined);
  });

  it('gives a paused run to one claimer only, even when ten claim at once', async () => {
    const store = await options.createStore();
    const run = pausedRun();
    await store.savePending(run);
    const claims = await Promise.all(
      Array.from({ length: 10 }, () => store.claimPending(run.runId, STALE_NEVER)),
    );
    const winners = claims.filter((claim) => claim !== undefined);
    assert.equal(winners.length, 1);
    assert.deepEqual(winners[0], run);
    // Claimed, it is still readable (and still blocks its conversation).
    assert.deepEqual(await store.getPending(run.runId), run);
    assert.deepEqual(await store.pendingOf(run.conversationId, 'alice'), run);
    assert.equal(await store.claimPending(randomUUID(), STALE_NEVER), undefined);
  });

  it('lets a released claim be taken at once, and a stale one after staleMs', async () => {
    const store = await options.createStore();
    const run = pausedRun();
    await store.savePending(run);
    assert.ok(await store.claimPending(run.runId, STALE_NEVER));
    await store.releasePending(run.runId);
    assert.ok(await store.claimPending(run.runId, STALE_NEVER));
    await sleep(40);
    assert.equal(await store.claimPending(run.runId, STALE_NEVER), undefined);
    assert.deepEqual(await store.claimPending(run.runId, 10), run);
    assert.equal(await store.claimPending(run.runId, STALE_NEVER), undefined);
  });

  it('saving a run again replaces it and frees its claim; deleting forgets it', async () => {
    const store = await options.createStore();
    const run = pausedRun();
    await store.savePending(run);
    assert.ok(await store.claimPending(run.runId, STALE_NEVER));
    const replaced = { ...run, nextFrameId: 40, stagedItems: [...run.stagedItems, assistantMessage('x')] };
    await store.savePending(replaced);
    assert.deepEqual(await store.getPending(run.runId), replaced);
    assert.deepEqual(await store.claimPending(run.runId, STALE_NEVER), replaced);
    await store.deletePending(run.runId);
    assert.equal(await store.getPending(run.runId), undefined);
    assert.equal(await store.pendingOf(run.conversationId, 'alice'), undefined);
    assert.equal(await store.claimPending(run.runId, 0), undefined);
    await store.deletePending(run.runId); // forgetting twice is fine
  });

  it('finds no paused run under ids no run can have (NUL, unicode, 10,000 characters)', async () => {
    const store = await options.createStore();
    for (const id of ['a\u0000b', '\u0000', 'ünï ✓ 日本', 'x'.repeat(10_000)]) {
      assert.equal(await store.getPending(id), undefined);
      assert.equal(await store.pendingOf(id, 'alice'), undefined);
      assert.equal(await store.pendingOf(`conversation-${randomUUID()}`, id), undefined);
      assert.equal(await store.claimPending(id, STALE_NEVER), undefined);
      await store.releasePending(id);
      await store.deletePending(id);
    }
  });
}

function describeSharing(
  api: TestApi,
  options: SessionStoreConformanceOptions,
  openAgain: () => SessionStore | Promise<SessionStore>,
): void {
  const { it } = api;
  it('shares histories and paused runs with another store on the same database', async () => {
    const [one, two] = await Promise.all([options.createStore(), openAgain()]);
    const id = `conversation-${randomUUID()}`;
    const turn = beginSessionTurn(one.session(id, 'alice'));
    await turn.addItems([userMessage('turn 1')]);
    await commitStoreTurn(one, turn);
    const next = beginSessionTurn(two.session(id, 'alice'));
    await next.addItems([assistantMessage('turn 2')]);
    await commitStoreTurn(two, next);
    assert.deepEqual(await one.session(id, 'alice').getItems(), [
      userMessage('turn 1'),
      assistantMessage('turn 2'),
    ]);
    const run = pausedRun({ conversationId: id });
    await one.savePending(run);
    assert.deepEqual(await two.getPending(run.runId), run);
    assert.deepEqual(await two.pendingOf(id, 'alice'), run);
    await two.deletePending(run.runId);
    assert.equal(await one.getPending(run.runId), undefined);
  });

  it('gives a paused run to one claimer only across two stores (two processes) claiming at once', async () => {
    const [one, two] = await Promise.all([options.createStore(), openAgain()]);
    for (let round = 0; round < 5; round += 1) {
      const run = pausedRun();
      await one.savePending(run);
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, index) => (index % 2 ? one : two).claimPending(run.runId, STALE_NEVER)),
      );
      assert.equal(claims.filter((claim) => claim !== undefined).length, 1);
    }
  });
}
