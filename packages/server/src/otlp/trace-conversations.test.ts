import { describe, expect, it } from 'vitest';
import { TraceConversations } from './trace-conversations.ts';

describe('TraceConversations', () => {
  it('remembers per project and forgets the least recently used trace past its bound', () => {
    const traces = new TraceConversations(2);
    const a = traces.forProject('a');
    a.set('t1', 'c1');
    a.set('t2', 'c2');
    expect(traces.forProject('b').get('t1')).toBeUndefined();
    expect(a.get('t1')).toBe('c1'); // t1 is now the most recent
    a.set('t3', 'c3');
    expect(a.get('t2')).toBeUndefined();
    expect([a.get('t1'), a.get('t3'), traces.size]).toEqual(['c1', 'c3', 2]);
  });
});
