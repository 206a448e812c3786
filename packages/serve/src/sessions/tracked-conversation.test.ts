/** Tracked conversation ids: one namespace per user, never shared, always a valid Sightline id. */
import { LIMITS } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { newConversationId, trackedConversationId, userNamespace } from './tracked-conversation.ts';

describe('trackedConversationId', () => {
  it("puts a user's conversation in the user's namespace, readable", () => {
    expect(trackedConversationId('alice', 'chat-1')).toBe('alice:chat-1');
    expect(trackedConversationId('a@b.com', 'support/42')).toBe('a@b.com:support/42');
  });

  it('keeps the plain id for the default user (no getUser)', () => {
    expect(userNamespace('')).toBe('');
    expect(trackedConversationId('', 'chat-1')).toBe('chat-1');
  });

  it('never gives two users the same id, whatever they are called and choose', () => {
    const pairs: Array<[string, string]> = [
      ['a:b', 'c'],
      ['a', 'b:c'],
      ['a%3ab', 'c'],
      ['a', '%3ab:c'],
      ['#x', 'y'],
      ['x', 'y'],
      ['x\u0000', 'y'],
      ['alice', 'bob:chat'],
      ['bob', 'chat'],
      ['bob', 'alice:chat'],
      ['alice', 'chat'],
      ['u'.repeat(300), 'chat'],
      ['u'.repeat(301), 'chat'],
    ];
    const owners = new Map<string, string>();
    for (const [user, id] of pairs) {
      const tracked = trackedConversationId(user, id);
      const owner = owners.get(tracked);
      expect(owner === undefined || owner === user, `${tracked}: ${owner} and ${user}`).toBe(true);
      owners.set(tracked, user);
    }
    expect(trackedConversationId('bob', 'alice:chat')).toBe('bob:alice:chat');
  });

  it('escapes what would make the user part ambiguous or unprintable', () => {
    expect(userNamespace('a:b')).toBe('a%3ab:');
    expect(userNamespace('50%')).toBe('50%25:');
    expect(userNamespace('#1')).toBe('%231:');
    expect(userNamespace('tab\there')).toBe('tab%09here:');
  });

  it("uses an id already in the user's namespace as is (the ids the server makes)", () => {
    const id = newConversationId('alice');
    expect(id).toMatch(/^alice:[0-9a-f-]{36}$/);
    expect(trackedConversationId('alice', id)).toBe(id);
    expect(newConversationId('')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stays within the id limit: long ids and users are digested, deterministically', () => {
    const longId = 'c'.repeat(LIMITS.maxIdLength);
    const tracked = trackedConversationId('alice', longId);
    expect(tracked).toMatch(/^alice:#[\w-]{43}$/);
    expect(trackedConversationId('alice', longId)).toBe(tracked);
    expect(trackedConversationId('bob', longId)).not.toBe(tracked);
    const longUser = 'u'.repeat(1000);
    expect(userNamespace(longUser)).toMatch(/^#[\w-]{43}:$/);
    expect(newConversationId(longUser).length).toBeLessThanOrEqual(LIMITS.maxIdLength);
    const worst = trackedConversationId('%'.repeat(66), longId);
    expect(worst.length).toBeLessThanOrEqual(LIMITS.maxIdLength);
  });
});
