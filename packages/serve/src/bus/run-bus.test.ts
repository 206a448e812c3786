import { afterAll, describe, expect, it } from 'vitest';
import { dropNatsStream, natsNamespace, testNatsBus } from '../../test/nats.ts';
import type { Frame } from '../http/frame-log.ts';
import { memoryBus, memoryHub } from './memory-bus.ts';
import { natsBus } from './nats-bus.ts';
import { decodeBatch, encodeBatch, framesOfBatches, type RunBus } from './run-bus.ts';

const frame = (id: number, data = `{"n":${id}}`, event?: string): Frame => ({ id, event, data });
const runId = () => `run-${Math.random().toString(36).slice(2)}`;

async function collect(iterable: AsyncIterable<Frame>): Promise<number[]> {
  const ids: number[] = [];
  for await (const f of iterable) ids.push(f.id);
  return ids;
}

interface Pair {
  a: RunBus;
  b: RunBus;
}

function describeBus(name: string, open: () => Promise<Pair>, cleanup: () => Promise<void>): void {
  describe(`${name} run bus`, () => {
    let pair: Pair;
    afterAll(async () => {
      await Promise.all([pair?.a.close(), pair?.b.close()]);
      await cleanup();
    });

    it('carries a stream to another node: every frame once, in order, ending at its end', async () => {
      pair ??= await open();
      const { a, b } = pair;
      const id = runId();
      expect(await b.lastFrame(id)).toBeUndefined();
      a.publish(id, [frame(1, '{"type":"start"}', 'message'), frame(2)], false);
      a.publish(id, [frame(3), frame(4, '[DONE]')], true);
      await a.flush();
      expect(await b.lastFrame(id)).toEqual({ id: 4, end: true });
      const signal = AbortSignal.timeout(5_000);
      const frames: Frame[] = [];
      for await (const f of b.follow(id, 0, signal)) frames.push(f);
      expect(frames).toEqual([
        frame(1, '{"type":"start"}', 'message'),
        frame(2),
        frame(3),
        frame(4, '[DONE]'),
      ]);
      expect(await collect(b.follow(id, 2, signal))).toEqual([3, 4]);
    });

    it('follows frames published after the reader came, and the next phase of a run', async () => {
      pair ??= await open();
      const { a, b } = pair;
      const id = runId();
      a.publish(id, [frame(1)], false);
      await a.flush();
      const reading = collect(b.follow(id, 0, AbortSignal.timeout(5_000)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      a.publish(id, [frame(2)], false);
      a.publish(id, [frame(3)], true);
      expect(await reading).toEqual([1, 2, 3]);
      // Resumed after an approval, on the other node: the same run's stream goes on.
      b.publish(id, [frame(4), frame(5)], true);
      await b.flush();
      expect(await collect(a.follow(id, 3, AbortSignal.timeout(5_000)))).toEqual([4, 5]);
      expect(await collect(a.follow(id, 1, AbortSignal.timeout(5_000)))).toEqual([2, 3]);
      expect(await a.lastFrame(id)).toEqual({ id: 5, end: true });
    });

    it('stops following when the signal aborts', async () => {
      pair ??= await open();
      const id = runId();
      pair.a.publish(id, [frame(1)], false);
      await pair.a.flush();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      expect(await collect(pair.b.follow(id, 0, controller.signal))).toEqual([1]);
    });

    it('sends commands to the node running the run, and answers undefined when none does', async () => {
      pair ??= await open();
      const { a, b } = pair;
      const id = runId();
      const node = `node-${id}`;
      const command = { type: 'cancel', userId: 'alice', kind: 'agent', name: 'calc' } as const;
      expect(await b.request(node, id, command)).toBeUndefined(); // no such node
      const mine = new Set([id, `${id}x`]);
      const stop = a.listen(node, async (run, received) => {
        if (!mine.has(run)) return undefined;
        if (run === `${id}x`) throw Object.assign(new Error('no such question'), { code: 'invalid_request' });
        return { ok: true, value: { run, received } };
      });
      await a.flush(); // the subscription is known to the server
      expect(await b.request(node, id, command)).toEqual({ ok: true, value: { run: id, received: command } });
      expect(await b.request(node, `${id}x`, command)).toEqual({
        ok: false,
        error: { code: 'invalid_request', message: 'no such question' },
      });
      expect(await b.request(node, `${id}y`, command)).toBeUndefined(); // the node does not run it
      // A node id that is not a subject token still gets its commands.
      const odd = `node.${id} *`;
      const stopOdd = a.listen(odd, async (run) => ({ ok: true, value: run }));
      await a.flush();
      expect(await b.request(odd, id, command)).toEqual({ ok: true, value: id });
      expect(await b.request(node, id, command)).toMatchObject({ ok: true, value: { run: id } });
      stop();
      stopOdd();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await b.request(node, id, command)).toBeUndefined();
      expect(await b.request(odd, id, command)).toBeUndefined();
    });
  });
}

const hub = memoryHub();
describeBus(
  'memory',
  async () => ({ a: memoryBus({ hub }), b: memoryBus({ hub }) }),
  async () => undefined,
);

const namespace = natsNamespace();
describeBus(
  'NATS JetStream',
  async () => ({ a: await testNatsBus(namespace), b: await testNatsBus(namespace) }),
  () => dropNatsStream(namespace.stream),
);

describe('run bus helpers', () => {
  it('round-trips batches, tabs and all', () => {
    const frames = [frame(7, '{"text":"a\\tb"}', 'message'), frame(8, '[DONE]')];
    expect(decodeBatch(encodeBatch(frames, true))).toEqual({ frames, end: true });
    expect(decodeBatch(encodeBatch([], false))).toEqual({ frames: [], end: false });
  });

  it('refuses to resume past frames no longer held (never skips silently)', async () => {
    async function* batches() {
      yield { frames: [frame(5), frame(6)], end: true };
    }
    await expect(collect(framesOfBatches(batches(), 2))).rejects.toMatchObject({ code: 'not_found' });
    expect(await collect(framesOfBatches(batches(), 4))).toEqual([5, 6]);
  });

  it('natsBus fails with one clear error when NATS is unreachable', async () => {
    await expect(natsBus({ url: 'nats://127.0.0.1:1', connectTimeoutMs: 500 })).rejects.toMatchObject({
      code: 'upstream_failed',
      message: expect.stringContaining('cannot reach NATS at nats://127.0.0.1:1'),
    });
  });
});
