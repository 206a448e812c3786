/**
 * An incremental reader of the `text/event-stream` format (WHATWG HTML, server-sent events): feed it
 * decoded text as it arrives, in chunks cut anywhere, and it calls back once per complete event.
 * Comments (`: keep-alive`) are skipped; `id:` is remembered for `Last-Event-ID`.
 */

/** One server-sent event. */
export interface SseEvent {
  /** The event's `id:` ('' when it had none). */
  id: string;
  /** The `event:` name ('message' when it had none). */
  event: string;
  /** The `data:` lines joined with newlines. */
  data: string;
}

export interface SseParser {
  /** Feeds the next piece of the stream. */
  push(text: string): void;
}

/** Creates a parser calling `onEvent` for each complete event. */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let buffer = '';
  let data: string[] = [];
  let name = '';
  let id = '';
  let hasData = false;

  const dispatch = () => {
    if (hasData) onEvent({ id, event: name || 'message', data: data.join('\n') });
    data = [];
    name = '';
    id = '';
    hasData = false;
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      data.push(value);
      hasData = true;
    } else if (field === 'event') name = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };

  return {
    push(text) {
      buffer += text;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A lone \r at the very end may be the first half of \r\n: wait for more.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) return;
        line(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    },
  };
}
