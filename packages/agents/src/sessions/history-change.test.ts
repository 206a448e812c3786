import { describe, expect, it } from 'vitest';
import { EncodedItem, turnFingerprint } from './history-change.ts';

const items = (...texts: string[]) => texts.map((text) => new EncodedItem(text));

describe('turnFingerprint', () => {
  it('is the same for the same texts and differs when a text, its place, its side or the split changes', () => {
    const base = turnFingerprint(items('{"a":1}'), items('{"b":2}', '{"c":3}'));
    expect(turnFingerprint(items('{"a":1}'), items('{"b":2}', '{"c":3}'))).toBe(base);
    const others = [
      turnFingerprint(items('{"a":1}'), items('{"b":2}', '{"c":4}')),
      turnFingerprint(items('{"a":1}'), items('{"c":3}', '{"b":2}')),
      turnFingerprint([], items('{"a":1}', '{"b":2}', '{"c":3}')),
      turnFingerprint(items('{"a":1}'), items('{"b":2}{"c":3}')),
      turnFingerprint(items('{"a":1}'), items('{"b":2}', '{"c":3}', '')),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });
});
