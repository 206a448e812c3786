/**
 * How runs reach across nodes: a `RunBus` carries a run's stream frames (agent UI message chunks,
 * workflow events) so a client resumes on any node, and commands (cancel, answer) to the node running a
 * run (the node its record names; each node listens once for all its runs). Implementations:
 * `memoryBus()` (in-process: several routers in one process act as nodes) and `natsBus({ url })` (NATS
 * JetStream: one stream, a subject per run). Without a bus (the default), a run is reachable on the
 * process running it only, as before.
 */
import { createHash } from 'node:crypto';
import { ServeError } from '../errors.ts';
import type { Frame } from '../http/frame-log.ts';

/** A command to the node running a run, and its answer (JSON). */
export type RunCommand =
  | { type: 'cancel'; userId: string; kind: 'agent' | 'workflow'; name: string }
  | { type: 'answer'; userId: string; questionId: string; answer: string | string[] }
  /** A reader on another node follows the run (it is not abandoned). */
  | { type: 'touch'; userId: string };

/** What the node running the run answered: a value, or the error it refused the command with. */
export type CommandReply =
  | { ok: true; value?: unknown }
  | {
      ok: false;
      error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
    };

/**
 * Answers the commands sent to one node: the reply for a run it runs, undefined when it does not run it
 * (the requester then hears that no node runs it).
 */
export type CommandHandler = (runId: string, command: RunCommand) => Promise<CommandReply | undefined>;

/** Where a run's stream stands on the bus. */
export interface LastFrame {
  /** Id of the last frame published. */
  id: number;
  /** True when that frame ended the stream (a phase, or the run). */
  end: boolean;
}

/** The transport between serving nodes. */
export interface RunBus {
  /** A short name for banners and errors (`memory`, `nats://127.0.0.1:4222`). */
  readonly name: string;
  /**
   * Appends frames to a run's stream; `end` when they end it (a phase of the run). Asynchronous: failures
   * go to the bus's error handler, never to the run.
   */
  publish(runId: string, frames: readonly Frame[], end: boolean): void;
  /** The last frame of a run's stream; undefined when the bus holds none. */
  lastFrame(runId: string): Promise<LastFrame | undefined>;
  /**
   * The frames after `afterId`, in order, until a frame that ends the stream (or `signal` aborts). Throws
   * not_found when frames after `afterId` are no longer held.
   */
  follow(runId: string, afterId: number, signal: AbortSignal): AsyncIterable<Frame>;
  /**
   * Sends a command about `runId` to node `nodeId` (the node the run's record names); undefined when that
   * node does not run it, or listens no more (stopped, dead).
   */
  request(nodeId: string, runId: string, command: RunCommand): Promise<CommandReply | undefined>;
  /**
   * Answers the commands sent to node `nodeId`, for all its runs (one subscription, not one per run), until
   * the returned function is called.
   */
  listen(nodeId: string, handler: CommandHandler): () => void;
  /** Resolves once everything published so far is stored and every `listen()` before it receives commands. */
  flush(): Promise<void>;
  /** Stops handling and publishing; what was published is flushed first. */
  close(): Promise<void>;
}

/** Run ids the bus can carry (subject tokens): letters, digits, `_` and `-`, up to 100. */
export function busRunId(runId: string): boolean {
  return /^[A-Za-z0-9_-]{1,100}$/.test(runId);
}

/** A node id as one subject token: itself when a valid bus id, else `~` and its SHA-256 (base64url). */
export function busNodeToken(nodeId: string): string {
  return busRunId(nodeId) ? nodeId : `~${createHash('sha256').update(nodeId).digest('base64url')}`;
}

/** The error a command was refused with, thrown where the request came in. */
export function replyError(reply: CommandReply): ServeError | undefined {
  if (reply.ok) return undefined;
  const { code, message, issues } = reply.error;
  return new ServeError(
    code as ConstructorParameters<typeof ServeError>[0],
    message,
    issues ? { issues } : {},
  );
}

/** A command's refusal from anything thrown while handling it. */
export function refusal(error: unknown): CommandReply {
  const body = error as { code?: unknown; message?: unknown; issues?: unknown };
  const known = typeof body?.code === 'string';
  return {
    ok: false,
    error: {
      code: known ? (body.code as string) : 'internal',
      message: known ? String(body.message) : 'internal server error',
      ...(known && Array.isArray(body.issues)
        ? { issues: body.issues as Array<{ path: string; message: string }> }
        : {}),
    },
  };
}

/** Encodes frames as one message: a line `e` or `-` (ends the stream or not), then `id\tevent\tdata` lines. */
export function encodeBatch(frames: readonly Frame[], end: boolean): string {
  let text = end ? 'e' : '-';
  for (const frame of frames) text += `\n${frame.id}\t${frame.event ?? ''}\t${frame.data}`;
  return text;
}

/** Decodes a message of `encodeBatch`. */
export function decodeBatch(text: string): { frames: Frame[]; end: boolean } {
  const lines = text.split('\n');
  const frames: Frame[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index] as string;
    const tab = line.indexOf('\t');
    const second = line.indexOf('\t', tab + 1);
    const event = line.slice(tab + 1, second);
    frames.push({
      id: Number(line.slice(0, tab)),
      event: event === '' ? undefined : event,
      data: line.slice(second + 1),
    });
  }
  return { frames, end: lines[0] === 'e' };
}

/**
 * Reads batches (as a bus stores them) into frames after `afterId`, ending after the batch that ends the
 * stream past `afterId`; throws not_found when the first frame it needs is gone.
 */
export async function* framesOfBatches(
  batches: AsyncIterable<{ frames: Frame[]; end: boolean }>,
  afterId: number,
): AsyncGenerator<Frame> {
  let cursor = afterId;
  let checked = false;
  for await (const batch of batches) {
    for (const frame of batch.frames) {
      if (frame.id <= cursor) continue;
      if (!checked && frame.id > cursor + 1) {
        throw new ServeError(
          'not_found',
          `frames ${cursor + 1}..${frame.id - 1} are no longer held; cannot resume after ${afterId}`,
        );
      }
      checked = true;
      cursor = frame.id;
      yield frame;
    }
    if (batch.end && cursor > afterId) return;
  }
}
