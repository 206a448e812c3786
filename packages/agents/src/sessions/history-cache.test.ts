import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionConflictError } from '../errors.ts';
import { assistantMessage, userMessage } from '../testing/session-items.ts';
import { HistoryCache } from './history-cache.ts';
import { SqliteSession } from './sqlite-session.ts';

const dir = mkdtempSync(join(tmpdir(), 'sl-history-cache-'));
const handles: Database.Database[] = [];
let files = 0;

/** Two independent connections to one new file, as two processes would have. */
function twoConnections(): [Database.Database, Database.Database] {
  const file = join(dir, `cache-${files++}.db`);
  const open = () => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    handles.push(db);
    return db;
  };
  return [open(), open()];
}

afterAll(() => {
  for (const db of handles) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteSession reads served from memory stay exact', () => {
  it('sees appends, pops and clears made through another connection to the same file', async () => {
    const [a, b] = twoConnections();
    const here = new SqliteSession('chat', a, { userId: 'u1' });
    const there = new SqliteSession('chat', b, { userId: 'u1' });
    await here.addItems([userMessage('one')]);
    expect(await here.getItems()).toEqual([userMessage('one')]);
    await there.addItems([assistantMessage('two')]);
    expect(await here.getItems()).toEqual([userMessage('one'), assistantMessage('two')]);
    expect(await there.popItem()).toEqual(assistantMessage('two'));
    expect(await here.getItems()).toEqual([userMessage('one')]);
    await here.addItems([userMessage('three')]);
    await there.clearSession();
    expect(await here.getItems()).toEqual([]);
    expect(await here.getItems(1)).toEqual([]);
  });

  it('sees SQL the app runs itself on the same handle', async () => {
    const [a] = twoConnections();
    const session = new SqliteSession('chat', a);
    await session.addItems([userMessage('draft'), assistantMessage('ok')]);
    expect(await session.getItems()).toHaveLength(2);
    a.prepare('UPDATE agent_session_items SET item = ? WHERE session_id = ? AND position = 0').run(
      JSON.stringify(userMessage('edited')),
      'chat',
    );
    expect(await session.getItems()).toEqual([userMessage('edited'), assistantMessage('ok')]);
  });

  it("does not keep a write of the app's own transaction that rolls back", async () => {
    const [a] = twoConnections();
    const session = new SqliteSession('chat', a);
    await session.addItems([userMessage('kept')]);
    expect(await session.getItems()).toEqual([userMessage('kept')]);
    a.exec('BEGIN');
    await session.addItems([userMessage('rolled back')]);
    expect(await session.getItems()).toEqual([userMessage('kept'), userMessage('rolled back')]);
    a.exec('ROLLBACK');
    expect(await session.getItems()).toEqual([userMessage('kept')]);
    await session.addItems([assistantMessage('next')]);
    expect(await session.getItems()).toEqual([userMessage('kept'), assistantMessage('next')]);
  });

  it('keeps the history as stored after a rejected transaction and after a retried one', async () => {
    const [a] = twoConnections();
    const session = new SqliteSession('chat', a);
    const items = [userMessage('q'), assistantMessage('a')];
    await session.applyHistoryTransaction({
      operationId: 'op-1',
      transaction: { type: 'append_items', items },
    });
    expect(await session.getItems()).toEqual(items);
    await session.applyHistoryTransaction({
      operationId: 'op-1',
      transaction: { type: 'append_items', items },
    });
    await expect(
      session.applyHistoryTransaction({
        operationId: 'op-2',
        transaction: { type: 'replace_suffix', expectedSuffix: [userMessage('other')], replacement: [] },
      }),
    ).rejects.toBeInstanceOf(SessionConflictError);
    expect(await session.getItems()).toEqual(items);
    expect(await session.getItems(1)).toEqual([assistantMessage('a')]);
  });

  it('returns fresh objects: changing what a read returned does not change the next read', async () => {
    const [a] = twoConnections();
    const session = new SqliteSession('chat', a);
    await session.addItems([userMessage('original')]);
    const first = await session.getItems();
    (first[0] as { content: string }).content = 'mutated';
    first.push(userMessage('extra'));
    expect(await session.getItems()).toEqual([userMessage('original')]);
  });
});

describe('HistoryCache', () => {
  it('drops the least recently used histories beyond its limits', () => {
    const cache = new HistoryCache({ sessions: 2, chars: 1000 });
    cache.set('a', ['1']);
    cache.set('b', ['2']);
    cache.get('a');
    cache.set('c', ['3']);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(['1']);
    expect(cache.get('c')).toEqual(['3']);
    cache.set('big', ['x'.repeat(251)]);
    expect(cache.get('big')).toBeUndefined();
    cache.change('a', 0, ['y'.repeat(200)]);
    cache.change('c', 0, ['z'.repeat(200)]);
    cache.change('a', 0, ['w'.repeat(200)]);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toEqual(['3', 'z'.repeat(200)]);
  });

  it('applies removals and appends to a cached history', () => {
    const cache = new HistoryCache();
    cache.set('s', ['1', '2', '3']);
    cache.change('s', 2, ['4']);
    expect(cache.get('s')).toEqual(['1', '4']);
    cache.change('s', 5, []);
    expect(cache.get('s')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
