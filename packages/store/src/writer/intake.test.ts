import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../store.ts';
import { parseEvents, stepEvent } from '../testing/events.ts';
import { SQLITE_STEPS_BY_KEY } from './intake.ts';

// The hostile-input suite's 10,000-span OTLP export took 30 s: SQLite scanned every step of the
// project, and the whole key list for each, to find the batch's stored steps.
describe('SQLite intake of a batch of steps', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-intake-'));
    file = join(dir, 'test.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('looks each step up on the primary key, the key list as the outer loop', async () => {
    const store = createStore({ database: file });
    await store.migrate();
    const project = await store.createProject({ name: 'p' });
    const steps = Array.from({ length: 2_000 }, (_, i) =>
      stepEvent(
        { conversationId: `c${i % 50}` },
        { type: 'tool', name: `t${i % 7}`, at: 1_767_225_600_000 + i },
      ),
    );
    for (let i = 0; i < steps.length; i += 1_000)
      await store.append(project.id, parseEvents(steps.slice(i, i + 1_000)));
    await store.close();
    const raw = new BetterSqlite3(file);
    const plan = raw
      .prepare(`explain query plan ${SQLITE_STEPS_BY_KEY}`)
      .all(JSON.stringify([['c1', 'x']]), project.id) as Array<{ detail: string }>;
    raw.close();
    expect(plan.map((row) => row.detail)).toEqual([
      expect.stringMatching(/^SCAN k VIRTUAL TABLE/),
      expect.stringMatching(
        /^SEARCH s USING (INDEX sqlite_autoindex_steps_1|PRIMARY KEY) \(project_id=\? AND conversation_id=\? AND id=\?\)$/,
      ),
    ]);
  });
});
