/**
 * Erasing the served data of a tracked (dashboard) conversation or of a customer: the user's
 * conversations that track as the erased id go (readable namespaces, escaped user ids, ids the server
 * made in the user's namespace, digests of long user ids, anonymous plain ids), nothing else does; the
 * replay conversations erased with them go as if each were erased alone (sessions, paused runs, runs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSessionDatabases, sqliteRuns, sqliteServedEraser, sqliteSessions } from '@sightline/agents';
import { assistantMessage, pausedRun, servedRun, userMessage } from '@sightline/agents/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { trackedConversationId } from './tracked-conversation.ts';
import { eraseServedData } from './tracked-erasure.ts';

const dir = mkdtempSync(join(tmpdir(), 'sl-tracked-erasure-'));
afterAll(() => {
  closeSessionDatabases();
  rmSync(dir, { recursive: true, force: true });
});

// Escaped past 200 characters: its namespace is a digest of the id.
const LONG_USER = `${'u'.repeat(150)}${':'.repeat(40)}`;
const SESSIONS: Array<[string, string]> = [
  ['alice', 'chat-1'],
  ['alice', 'chat-2'],
  ['alice', 'alice:made-by-server'],
  ['bob', 'chat-1'],
  ['a:b%', 'x'],
  [LONG_USER, 'y'],
  ['', 'plain'],
  ['', 'alice:chat-1'],
];

describe('eraseServedData', () => {
  it('erases exactly the sessions that track as the erased conversation', async () => {
    const file = join(dir, 'sessions.db');
    const sessions = sqliteSessions(file);
    const eraser = sqliteServedEraser(file);
    for (const [user, conversation] of SESSIONS)
      await sessions
        .session(conversation, user)
        .addItems([{ role: 'user', content: `${user}/${conversation}` }]);
    const left = async () => {
      const out: string[] = [];
      for (const [user, conversation] of SESSIONS)
        if ((await sessions.session(conversation, user).getItems()).length > 0)
          out.push(`${user}/${conversation}`);
      return out;
    };
    const erase = async (id: string) =>
      (await eraseServedData(eraser, { kind: 'conversation', id })).sessions;

    // alice's chat-1, and the anonymous conversation whose plain id is the same tracked id.
    expect(await erase(trackedConversationId('alice', 'chat-1'))).toBe(2);
    expect(await erase(trackedConversationId('alice', 'alice:made-by-server'))).toBe(1);
    expect(await erase(trackedConversationId('a:b%', 'x'))).toBe(1);
    expect(trackedConversationId(LONG_USER, 'y')).toMatch(/^#[\w-]{43}:y$/);
    expect(await erase(trackedConversationId(LONG_USER, 'y'))).toBe(1);
    expect(await erase('plain')).toBe(1);
    expect(await erase('nobody:chat-1')).toBe(0);
    expect(await left()).toEqual(['alice/chat-2', 'bob/chat-1']);

    const customer = await eraseServedData(eraser, { kind: 'customer', id: 'bob' });
    expect(customer.sessions).toBe(1);
    expect(await left()).toEqual(['alice/chat-2']);
  });

  it('erases the served data of the replay conversations erased with a conversation or a customer', async () => {
    const file = join(dir, 'replays.db');
    const sessions = sqliteSessions(file);
    const runs = sqliteRuns(file);
    const eraser = sqliteServedEraser(file);
    // What a served run keeps: a session of two items, a paused run, a run record with an event.
    const serve = async (userId: string, conversationId: string) => {
      await sessions
        .session(conversationId, userId)
        .addItems([userMessage('my account is 4711'), assistantMessage('noted')]);
      await sessions.savePending(pausedRun({ userId, conversationId }));
      const run = servedRun({ userId, conversationId });
      await runs.saveRuns([run]);
      await runs.appendEvents([{ runId: run.runId, eventId: 1, data: '{"type":"started"}' }]);
    };
    const all = { sessions: 1, sessionItems: 2, pausedRuns: 1, runs: 1, runEvents: 1 };
    const none = { sessions: 0, sessionItems: 0, pausedRuns: 0, runs: 0, runEvents: 0 };
    for (const conversation of ['ada-chat', 'rpl-ada', 'rpl-ada-again', 'own-chat']) {
      await serve(conversation === 'ada-chat' ? 'ada' : 'replayer', conversation);
    }
    const left = async () => (await eraser.conversationsOf('replayer')).sort();
    const ada = trackedConversationId('ada', 'ada-chat');

    // Ada's conversation, and the replay of a dataset item taken from it (the replayer's rpl-ada).
    const replays = [trackedConversationId('replayer', 'rpl-ada')];
    const erasure = { kind: 'conversation', id: ada, replayConversationIds: replays } as const;
    expect(await eraseServedData(eraser, erasure)).toEqual({
      sessions: 2,
      sessionItems: 4,
      pausedRuns: 2,
      runs: 2,
      runEvents: 2,
    });
    expect(await eraser.conversationsOf('ada')).toEqual([]);
    expect(await left()).toEqual(['own-chat', 'rpl-ada-again']);
    expect(await eraseServedData(eraser, erasure)).toEqual(none);

    // Ada as customer (nothing of hers left), and another replay of her conversation.
    const customer = {
      kind: 'customer',
      id: 'ada',
      replayConversationIds: [trackedConversationId('replayer', 'rpl-ada-again')],
    } as const;
    expect(await eraseServedData(eraser, customer)).toEqual(all);
    expect(await left()).toEqual(['own-chat']);
    expect(await eraseServedData(eraser, customer)).toEqual(none);
    await runs.close?.();
  });
});
