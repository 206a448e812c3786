import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser.ts';

function parse(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('server-sent events parser', () => {
  it('reads ids, names and data, skipping keep-alive comments', () => {
    const stream =
      ': keep-alive\n\nid: 1\nevent: started\ndata: {"type":"started"}\n\n: keep-alive\n\nid: 2\ndata: a\ndata: b\n\n';
    expect(parse([stream])).toEqual([
      { id: '1', event: 'started', data: '{"type":"started"}' },
      { id: '2', event: 'message', data: 'a\nb' },
    ]);
  });

  it('gives the same events whatever the chunk boundaries, CRLF included', () => {
    const stream = 'id: 7\r\nevent: ask\r\ndata: {"x":1}\r\n\r\nid: 8\r\ndata: last\r\n\r\n';
    const whole = parse([stream]);
    expect(whole).toHaveLength(2);
    for (let cut = 1; cut < stream.length; cut += 1) {
      expect(parse([stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
    expect(parse(stream.split(''))).toEqual(whole);
  });

  it('holds back an event until its blank line arrives', () => {
    expect(parse(['id: 3\ndata: partial\n'])).toEqual([]);
  });
});
