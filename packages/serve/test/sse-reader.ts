/** Reads a streaming SSE response one event at a time (for flows that answer while the stream is open). */
import { parseSse, type SseEvent } from './fixtures.ts';

export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';

  constructor(response: Response) {
    if (!response.body) throw new Error(`response ${response.status} has no body`);
    this.#reader = response.body.getReader();
  }

  /** The next event (comments skipped), or undefined when the stream ended. */
  async next(timeoutMs = 5000): Promise<SseEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end + 2);
        this.#buffer = this.#buffer.slice(end + 2);
        const [event] = parseSse(block);
        if (event) return event;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no SSE event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no SSE event within ${timeoutMs} ms`)), left);
      });
      const chunk = await Promise.race([this.#reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (chunk.done) return undefined;
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next event's JSON data, which must be of `type` (the SSE event name and the data's `type`). */
  async expect(type: string): Promise<{ id: number; data: Record<string, unknown> }> {
    const event = await this.next();
    const data = event ? (JSON.parse(event.data) as Record<string, unknown>) : undefined;
    if (!event || event.event !== type || data?.type !== type) {
      throw new Error(`expected a "${type}" event, got ${JSON.stringify(event)}`);
    }
    return { id: Number(event.id), data: data as Record<string, unknown> };
  }

  /** Every remaining event until the stream ends. */
  async rest(): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    for (let event = await this.next(); event; event = await this.next()) events.push(event);
    return events;
  }

  /** Drops the connection (as a client going away would). */
  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }
}
