/**
 * Erasing the served data of a tracked (dashboard) conversation or of a customer: the user's
 * conversations that track as the erased id go (readable namespaces, escaped user ids, ids the server
 * made in the user's namespace, digests of long user ids, anonymous plain ids), nothing else does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSessionDatabases, sqliteServedEraser, sqliteSessions } from '@sightline/agents';
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
});
