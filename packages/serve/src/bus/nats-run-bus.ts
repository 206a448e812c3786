/**
 * The RunBus on NATS JetStream (made by `natsBus({ url })`, nats-bus.ts). One stream (`SIGHTLINE_RUNS`) holds every run's frames
 * on a subject of its own, `sightline.runs.<runId>.frames`, with bounded retention (max age, messages per
 * subject); commands go over core NATS request/reply to `sightline.runs.cmd.<nodeId>.<runId>`: each node
 * subscribes once to `sightline.runs.cmd.<nodeId>.*` and answers for its runs (no responder: the node is
 * gone; a `null` reply: it does not run that run). Frames of one event-loop tick are one message, published
 * without waiting; a stream's end is published with an ack at most once a second (so a failing stream is
 * reported), and `flush()` publishes an empty message on `sightline.runs.~sync.frames` with an ack when
 * anything went out without one since: the server stores one connection's messages in order, so that ack
 * means every frame before it is stored.
 */
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type Msg, type NatsConnection, nanos, RequestError } from '@nats-io/transport-node';
import { ServeError } from '../errors.ts';
import type { Frame } from '../http/frame-log.ts';
import {
  busNodeToken,
  type CommandHandler,
  type CommandReply,
  decodeBatch,
  encodeBatch,
  framesOfBatches,
  type RunBus,
  type RunCommand,
  refusal,
} from './run-bus.ts';

export interface NatsBusOptions {
  /** `nats://host:port` (several, comma-separated, for a cluster). */
  url: string;
  /** Stream name (default `SIGHTLINE_RUNS`); nodes of one deployment use the same. */
  stream?: string;
  /** Subject prefix (default `sightline.runs`). */
  subjectPrefix?: string;
  /** How long a run's frames are kept, in ms (default 24 hours). */
  maxAgeMs?: number;
  /** Most messages kept per run (default 10,000; a message holds the frames of one tick). */
  maxMessagesPerRun?: number;
  /** Connection timeout, in ms (default 2,000). */
  connectTimeoutMs?: number;
  /** How long a command waits for the node running the run, in ms (default 10,000). */
  requestTimeoutMs?: number;
  /** Receives publish failures (default: one line on stderr). */
  onError?: (error: unknown) => void;
}

const encoder = new TextEncoder();
/** A stream's end is published with an ack at most this often; flush() acks the rest at once. */
const ACK_EVERY_MS = 1_000;
const decoder = new TextDecoder();

/** Connects to NATS and makes sure the stream exists; throws ServeError('upstream_failed') naming the URL. */
export async function connectNatsBus(options: NatsBusOptions): Promise<RunBus> {
  const streamName = options.stream ?? 'SIGHTLINE_RUNS';
  const prefix = options.subjectPrefix ?? 'sightline.runs';
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: options.url.split(',').map((server) => server.trim()),
      timeout: options.connectTimeoutMs ?? 2_000,
      name: `sightline-${process.pid}`,
      maxReconnectAttempts: -1,
    });
  } catch (cause) {
    throw new ServeError(
      'upstream_failed',
      `cannot reach NATS at ${options.url}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, streamName, `${prefix}.*.frames`, options);
    return new NatsRunBus({ nc, jsm, js: jetstream(nc), stream: streamName, prefix, options });
  } catch (cause) {
    await nc.close().catch(() => undefined);
    throw new ServeError(
      'upstream_failed',
      `NATS at ${options.url} has no usable JetStream (run nats-server with -js): ${(cause as Error).message}`,
      { cause },
    );
  }
}

async function ensureStream(
  jsm: JetStreamManager,
  name: string,
  subject: string,
  options: NatsBusOptions,
): Promise<void> {
  const config = {
    name,
    subjects: [subject],
    max_age: nanos(options.maxAgeMs ?? 24 * 60 * 60_000),
    max_msgs_per_subject: options.maxMessagesPerRun ?? 10_000,
    allow_direct: true,
  };
  try {
    await jsm.streams.add(config);
  } catch {
    // Exists with another configuration (an older node's, or other limits): bring it to ours.
    await jsm.streams.update(name, config);
  }
}

interface NatsRunBusInit {
  nc: NatsConnection;
  jsm: JetStreamManager;
  js: JetStreamClient;
  stream: string;
  prefix: string;
  options: NatsBusOptions;
}

class NatsRunBus implements RunBus {
  readonly name: string;
  readonly #init: NatsRunBusInit;
  readonly #acks = new Set<Promise<unknown>>();
  readonly #subscriptions = new Set<{ unsubscribe(): void }>();
  readonly #onError: (error: unknown) => void;
  /** Something was published without an ack since the last message with one. */
  #unacked = false;
  #lastAckAt = 0;

  constructor(init: NatsRunBusInit) {
    this.#init = init;
    this.name = init.options.url;
    this.#onError =
      init.options.onError ??
      ((error) => console.error('[sightline] NATS publish failed:', (error as Error).message));
  }

  publish(runId: string, frames: readonly Frame[], end: boolean): void {
    const subject = this.#subject(runId, 'frames');
    const payload = encoder.encode(encodeBatch(frames, end));
    try {
      // At most one ack a second (a stream's end, so a failing stream is reported soon); the rest go
      // without: the server stores one connection's messages in order, so a later ack covers them.
      if (end && Date.now() - this.#lastAckAt >= ACK_EVERY_MS) {
        this.#publishWithAck(subject, payload);
        return;
      }
      this.#init.nc.publish(subject, payload);
      this.#unacked = true;
    } catch (error) {
      this.#onError(error);
    }
  }

  async lastFrame(runId: string): Promise<{ id: number; end: boolean } | undefined> {
    const message = await this.#init.jsm.streams
      .getMessage(this.#init.stream, { last_by_subj: this.#subject(runId, 'frames') })
      .catch((error: unknown) => {
        throw new ServeError('upstream_failed', `NATS: ${(error as Error).message}`, { cause: error });
      });
    if (!message) return undefined;
    const batch = decodeBatch(decoder.decode(message.data));
    const last = batch.frames.at(-1);
    return last ? { id: last.id, end: batch.end } : undefined;
  }

  follow(runId: string, afterId: number, signal: AbortSignal): AsyncIterable<Frame> {
    return framesOfBatches(this.#batches(runId, signal), afterId);
  }

  async request(nodeId: string, runId: string, command: RunCommand): Promise<CommandReply | undefined> {
    try {
      const reply = await this.#init.nc.request(
        `${this.#commandPrefix(nodeId)}.${runId}`,
        encoder.encode(JSON.stringify(command)),
        { timeout: this.#init.options.requestTimeoutMs ?? 10_000 },
      );
      return (JSON.parse(decoder.decode(reply.data)) as CommandReply | null) ?? undefined;
    } catch (error) {
      if (error instanceof RequestError && error.isNoResponders()) return undefined;
      throw new ServeError(
        'upstream_failed',
        `the node running run ${runId} did not answer: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  listen(nodeId: string, handler: CommandHandler): () => void {
    const prefix = `${this.#commandPrefix(nodeId)}.`;
    const respond = (message: Msg, reply: CommandReply | undefined) =>
      message.respond(encoder.encode(JSON.stringify(reply ?? null)));
    const subscription = this.#init.nc.subscribe(`${prefix}*`, {
      callback: (error, message) => {
        if (error) return;
        let command: RunCommand;
        try {
          command = JSON.parse(decoder.decode(message.data)) as RunCommand;
        } catch (cause) {
          respond(message, refusal(cause));
          return;
        }
        void handler(message.subject.slice(prefix.length), command)
          .catch(refusal)
          .then((reply) => respond(message, reply));
      },
    });
    this.#subscriptions.add(subscription);
    return () => {
      this.#subscriptions.delete(subscription);
      subscription.unsubscribe();
    };
  }

  async flush(): Promise<void> {
    // An empty message after the others, acknowledged once they are all stored.
    if (this.#unacked) this.#publishWithAck(`${this.#init.prefix}.~sync.frames`, new Uint8Array());
    // A PING answered once the server has processed every SUB sent before it: listen() is then live.
    await Promise.all([...this.#acks, this.#init.nc.flush()]);
  }

  async close(): Promise<void> {
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#subscriptions.clear();
    await this.flush().catch(() => undefined);
    await this.#init.nc.drain().catch(() => undefined);
  }

  #publishWithAck(subject: string, payload: Uint8Array): void {
    this.#lastAckAt = Date.now();
    this.#unacked = false;
    const ack = this.#init.js.publish(subject, payload).catch(this.#onError);
    this.#acks.add(ack);
    void ack.finally(() => this.#acks.delete(ack));
  }

  /** The run's messages, oldest first, from an ordered consumer (waiting for more until `signal`). */
  async *#batches(runId: string, signal: AbortSignal): AsyncGenerator<{ frames: Frame[]; end: boolean }> {
    const consumer = await this.#init.js.consumers.get(this.#init.stream, {
      filter_subjects: this.#subject(runId, 'frames'),
    });
    const messages = await consumer.consume();
    const stop = () => void messages.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const message of messages) yield decodeBatch(decoder.decode(message.data));
    } finally {
      signal.removeEventListener('abort', stop);
      await messages.close().catch(() => undefined);
    }
  }

  #subject(runId: string, kind: 'frames'): string {
    return `${this.#init.prefix}.${runId}.${kind}`;
  }

  /** Commands to a node: `<prefix>.cmd.<node>` (four tokens with the run id: never a frames subject). */
  #commandPrefix(nodeId: string): string {
    return `${this.#init.prefix}.cmd.${busNodeToken(nodeId)}`;
  }
}
