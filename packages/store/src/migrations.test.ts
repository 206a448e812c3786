/**
 * Upgrading a store made by an earlier version: data written under migration 0001 (ids unique per
 * project) is kept, readable and searchable after 0002 re-keys ids by conversation, on both dialects.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DialectName } from './dialect.ts';
import { migrateToLatest } from './migrator.ts';
import { messageEvent, parseEvents, stepEvent } from './testing/events.ts';
import { type OldStore, postgresAt0001, sqliteAt0001 } from './testing/upgrade-fixture.ts';

const T0 = Date.UTC(2026, 1, 2, 8, 0, 0);

/** What an earlier version wrote: a project, a conversation with a message, a step and feedback. */
async function writeOldRows(old: OldStore): Promise<void> {
  const { db } = old;
  await db.insertInto('projects').values({ id: 'p1', name: 'old', created_at: T0 }).execute();
  await db
    .insertInto('conversations')
    .values({
      project_id: 'p1',
      id: 'old-conv',
      environment: 'production',
      metadata: '{}',
      tags: '[]',
      started_at: T0,
      last_activity_at: T0,
      message_count: 1,
      step_count: 1,
    })
    .execute();
  await db
    .insertInto('messages')
    .values({
      project_id: 'p1',
      id: 'm-1',
      conversation_id: 'old-conv',
      role: 'human',
      content: 'remember the walrus',
      metadata: '{}',
      attachments: '[]',
      timestamp: T0,
    })
    .execute();
  await db
    .insertInto('steps')
    .values({
      project_id: 'p1',
      id: 'span-1',
      conversation_id: 'old-conv',
      type: 'tool',
      name: 'lookup',
      started_at: T0,
      ended_at: T0 + 5,
      output: '"old output"',
      finished: 1,
    })
    .execute();
  await db
    .insertInto('feedback')
    .values({
      project_id: 'p1',
      id: 'f-1',
      conversation_id: 'old-conv',
      message_id: 'm-1',
      sentiment: 'positive',
      source: 'customer',
      metadata: '{}',
      timestamp: T0,
    })
    .execute();
}

const dialects: Array<[DialectName, () => Promise<OldStore>]> = [
  ['sqlite', sqliteAt0001],
  ['postgres', postgresAt0001],
];

describe.each(dialects)('upgrading a %s store to conversation-scoped ids', (dialect, make) => {
  const opened: OldStore[] = [];
  afterAll(async () => {
    for (const old of opened) await old.cleanup();
  });

  it('keeps every old row readable and searchable, and lets another conversation reuse its ids', async () => {
    const old = await make();
    opened.push(old);
    await migrateToLatest(old.db, dialect, '0001_initial');
    await writeOldRows(old);
    const store = await old.open();
    const applied = await store.migrate();
    expect(applied[0]).toBe('0002_conversation_scoped_ids');
    expect(applied.every((name) => name > '0001_initial')).toBe(true);

    const before = await store.getConversation('p1', 'old-conv');
    expect(before?.messages.map((m) => [m.id, m.content])).toEqual([['m-1', 'remember the walrus']]);
    expect(before?.steps.map((s) => [s.id, s.output])).toEqual([['span-1', 'old output']]);
    expect(before?.feedback.map((f) => f.id)).toEqual(['f-1']);
    const found = await store.listConversations('p1', { search: 'walrus', limit: 10 });
    expect(found.data.map((c) => c.id)).toEqual(['old-conv']);

    const reuse = stepEvent(
      { conversationId: 'new-conv' },
      { stepId: 'span-1', type: 'tool', name: 'lookup', at: T0 + 1_000, output: 'new output' },
    );
    await store.append('p1', parseEvents([reuse]));
    const after = await store.getConversation('p1', 'old-conv');
    expect(after?.steps.map((s) => s.output)).toEqual(['old output']);
    const other = await store.getConversation('p1', 'new-conv');
    expect(other?.steps.map((s) => s.output)).toEqual(['new output']);
  });

  it('is searchable for messages written after the upgrade (the search trigger came back)', async () => {
    const old = await make();
    opened.push(old);
    await migrateToLatest(old.db, dialect, '0001_initial');
    const store = await old.open();
    await store.migrate();
    const project = (await store.createProject({ name: 'after' })).id;
    await store.append(
      project,
      parseEvents([messageEvent({ conversationId: 'c' }, { role: 'human', content: 'quokka', at: T0 })]),
    );
    const found = await store.listConversations(project, { search: 'quokka', limit: 10 });
    expect(found.data.map((c) => c.id)).toEqual(['c']);
  });
});
