/**
 * The run store conformance suite: what every `RunStore` of served runs must do (records replaced by run
 * id, listed per user, events kept once and in order, runs of silent nodes interrupted once), run against
 * memory, SQLite and PostgreSQL stores, or yours. Test-runner agnostic: pass `{ describe, it }`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RunStore, ServedRunRecord } from '../runs/run-store.ts';
import type { TestApi } from './conformance.ts';

export interface RunStoreConformanceOptions {
  /** Suite name, e.g. `postgresRuns`. */
  name: string;
  /** A store to test (tests use fresh ids, so one store may serve every test). */
  createStore(): RunStore | Promise<RunStore>;
  /** Another store on the same storage, as a second process would open it. Omit for memory stores. */
  openAgain?(): RunStore | Promise<RunStore>;
}

/** A run record; ids are fresh unless given. */
export function servedRun(overrides: Partial<ServedRunRecord> = {}): ServedRunRecord {
  return {
    runId: randomUUID(),
    kind: 'workflow',
    name: 'learning_chat',
    userId: 'alice',
    conversationId: `conversation-${randomUUID()}`,
    status: 'running',
    nodeId: `node-${randomUUID()}`,
    data: { params: { rounds: 2 }, note: 'unicode ✓ "quoted"' },
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Registers the conformance tests for one run store. */
export function describeRunStoreConformance(api: TestApi, options: RunStoreConformanceOptions): void {
  api.describe(`${options.name} run store conformance`, () => {
    describeRecords(api, options);
    describeEvents(api, options);
    describeNodes(api, options);
    const { openAgain } = options;
    if (openAgain) describeSharing(api, options, openAgain);
  });
}

function describeRecords(api: TestApi, options: RunStoreConformanceOptions): void {
  const { it } = api;
  it('round-trips a record and replaces it by run id (the last of a batch wins)', async () => {
    const store = await options.createStore();
    const run = servedRun();
    await store.saveRuns([run]);
    const read = await store.getRun(run.runId);
    assert.ok(read);
    const { updatedAt, nodeSilentMs, ...record } = read;
    assert.deepEqual(record, run);
    assert.ok(!Number.isNaN(Date.parse(updatedAt)));
    assert.equal(nodeSilentMs, null, 'its node never heartbeated');
    const done = { ...run, status: 'completed' as const, nodeId: null, data: { result: 'done' } };
    await store.saveRuns([{ ...run, status: 'failed' }, done]);
    const { updatedAt: _u, nodeSilentMs: _n, ...again } = (await store.getRun(run.runId)) ?? {};
    assert.deepEqual(again, done);
    assert.equal(await store.getRun(randomUUID()), undefined);
  });

  it("lists a user's runs of one kind, newest first, per conversation when asked", async () => {
    const store = await options.createStore();
    const userId = `user-${randomUUID()}`;
    const conversationId = `conversation-${randomUUID()}`;
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString();
    const first = servedRun({ userId, conversationId, createdAt: at(1) });
    const second = servedRun({ userId, createdAt: at(2) });
    const agentRun = servedRun({ userId, kind: 'agent', conversationId, createdAt: at(3) });
    await store.saveRuns([first, second, agentRun, servedRun({ createdAt: at(4) })]);
    const ids = async (query: Parameters<RunStore['listRuns']>[0]) =>
      (await store.listRuns(query)).map((run) => run.runId);
    assert.deepEqual(await ids({ kind: 'workflow', userId }), [second.runId, first.runId]);
    assert.deepEqual(await ids({ kind: 'workflow', userId, limit: 1 }), [second.runId]);
    assert.deepEqual(await ids({ kind: 'workflow', userId, conversationId }), [first.runId]);
    assert.deepEqual(await ids({ kind: 'agent', userId, conversationId }), [agentRun.runId]);
    assert.deepEqual(await ids({ kind: 'workflow', userId: `user-${randomUUID()}` }), []);
  });

  it('finds nothing under ids no run can have (NUL, 10,000 characters)', async () => {
    const store = await options.createStore();
    assert.equal(await store.getRun('a\u0000b'), undefined);
    assert.equal(await store.getRun('x'.repeat(10_000)), undefined);
    assert.deepEqual(await store.listRuns({ kind: 'agent', userId: 'a\u0000b' }), []);
    assert.deepEqual(await store.readEvents('a\u0000b', 0), []);
  });
}

function describeEvents(api: TestApi, options: RunStoreConformanceOptions): void {
  const { it } = api;
  it('keeps events in order, once per id, exactly as given', async () => {
    const store = await options.createStore();
    const run = servedRun();
    await store.saveRuns([run]);
    const event = (eventId: number, text: string) => ({
      runId: run.runId,
      eventId,
      data: JSON.stringify({ type: 'message', text }),
    });
    await store.appendEvents([event(2, 'two ✓ "q"'), event(1, 'one')]);
    await store.appendEvents([event(2, 'replaced?'), event(3, 'three \u0000 nul')]);
    assert.deepEqual(await store.readEvents(run.runId, 0), [
      event(1, 'one'),
      event(2, 'two ✓ "q"'),
      event(3, 'three \u0000 nul'),
    ]);
    assert.deepEqual(await store.readEvents(run.runId, 1, 1), [event(2, 'two ✓ "q"')]);
    assert.deepEqual(await store.readEvents(run.runId, 3), []);
    assert.deepEqual(await store.readEvents(randomUUID(), 0), []);
  });
}

function describeNodes(api: TestApi, options: RunStoreConformanceOptions): void {
  const { it } = api;
  it("interrupts the running runs of silent or unknown nodes, once, and tells each node's silence", async () => {
    const store = await options.createStore();
    const alive = `node-${randomUUID()}`;
    const silent = `node-${randomUUID()}`;
    await store.heartbeat(silent);
    // Thresholds far from the waits: a loaded machine (a full test run on 2 cores) stalls for 100s of ms.
    await sleep(700);
    await store.heartbeat(alive);
    const running = servedRun({ nodeId: alive });
    const orphan = servedRun({ nodeId: silent });
    const unknown = servedRun({ nodeId: `node-${randomUUID()}` });
    const paused = servedRun({ nodeId: null, status: 'awaiting_approval' });
    const ended = servedRun({ nodeId: silent, status: 'completed' });
    await store.saveRuns([running, orphan, unknown, paused, ended]);
    await store.heartbeat(alive);
    const silence = (await store.getRun(orphan.runId))?.nodeSilentMs ?? -1;
    assert.ok(silence >= 600, `silent for ${silence} ms`);
    assert.ok(((await store.getRun(running.runId))?.nodeSilentMs ?? 1e9) < 400);
    const interrupted = await store.interruptRuns(400);
    const mine = interrupted.filter((run) => [orphan.runId, unknown.runId].includes(run.runId));
    assert.deepEqual(mine.map((run) => run.runId).sort(), [orphan.runId, unknown.runId].sort());
    assert.ok(mine.every((run) => run.status === 'interrupted' && run.data.note === orphan.data.note));
    assert.equal((await store.getRun(orphan.runId))?.status, 'interrupted');
    assert.equal((await store.getRun(running.runId))?.status, 'running');
    assert.equal((await store.getRun(paused.runId))?.status, 'awaiting_approval');
    const again = await store.interruptRuns(400);
    assert.ok(!again.some((run) => run.runId === orphan.runId), 'interrupted once');
  });

  it('forgets a node that leaves: its running runs are interrupted at once', async () => {
    const store = await options.createStore();
    const node = `node-${randomUUID()}`;
    await store.heartbeat(node);
    const run = servedRun({ nodeId: node });
    await store.saveRuns([run]);
    assert.ok(!(await store.interruptRuns(60_000)).some((r) => r.runId === run.runId));
    await store.leave(node);
    assert.equal((await store.getRun(run.runId))?.nodeSilentMs, null);
    assert.ok((await store.interruptRuns(60_000)).some((r) => r.runId === run.runId));
  });
}

function describeSharing(
  api: TestApi,
  options: RunStoreConformanceOptions,
  openAgain: () => RunStore | Promise<RunStore>,
): void {
  const { it } = api;
  it('shares records, events and heartbeats with another connection', async () => {
    const [a, b] = [await options.createStore(), await openAgain()];
    const node = `node-${randomUUID()}`;
    await a.heartbeat(node);
    const run = servedRun({ nodeId: node });
    await a.saveRuns([run]);
    await a.appendEvents([{ runId: run.runId, eventId: 1, data: '{"type":"started"}' }]);
    assert.equal((await b.getRun(run.runId))?.status, 'running');
    assert.deepEqual(await b.readEvents(run.runId, 0), [
      { runId: run.runId, eventId: 1, data: '{"type":"started"}' },
    ]);
    assert.ok(((await b.getRun(run.runId))?.nodeSilentMs ?? 1e9) < 5_000);
  });

  it('gives each interrupted run to one of two stores reaping at once', async () => {
    const [a, b] = [await options.createStore(), await openAgain()];
    const runs = Array.from({ length: 10 }, () => servedRun({ nodeId: `gone-${randomUUID()}` }));
    await a.saveRuns(runs);
    const [fromA, fromB] = await Promise.all([a.interruptRuns(0), b.interruptRuns(0)]);
    const ids = new Set(runs.map((run) => run.runId));
    const won = [...fromA, ...fromB].filter((run) => ids.has(run.runId)).map((run) => run.runId);
    assert.equal(won.length, 10);
    assert.equal(new Set(won).size, 10);
  });
}
