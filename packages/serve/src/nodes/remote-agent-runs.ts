/**
 * Agent runs across nodes: records each run of this node in the run store (status, outcome, node),
 * answers other nodes' commands for it (cancel), and reaches runs of other nodes: their status from the
 * store, their stream from the bus, their cancel through the node running them. A run whose node died
 * is `interrupted`; its readers get an error chunk, a finish and `[DONE]`.
 */
import type { StoredRun } from '@sightline/agents';
import type { UIMessageChunk } from 'ai';
import type { LiveRun, RunOutcome } from '../agents/live-run.ts';
import { busRunId, type CommandReply, type RunCommand, replyError } from '../bus/run-bus.ts';
import { ServeError } from '../errors.ts';
import { trackedConversationId } from '../sessions/tracked-conversation.ts';
import { type RemoteFrames, remoteFrames } from './remote-frames.ts';
import type { ServeNode } from './serve-node.ts';

const INTERRUPTED = 'interrupted: the server running this run stopped before it ended';

/** The cross-node side of AgentRuns. */
export class RemoteAgentRuns {
  readonly #node: ServeNode;
  readonly #commands = new Map<LiveRun, () => void>();

  constructor(node: ServeNode) {
    this.#node = node;
    node.onInterrupted('agent', (run) => this.#interrupted(run));
  }

  /** A phase of a local run begins: record it, publish its frames, answer commands for it. */
  attach(run: LiveRun, onCancel: (command: RunCommand) => Promise<CommandReply>): void {
    this.record(run);
    if (run.frames && !run.frames.sink) run.frames.sink = this.#node.publisher(run.runId);
    if (this.#node.bus && !this.#commands.has(run)) {
      this.#commands.set(run, this.#node.handleCommands(run.runId, onCancel));
    }
  }

  /** A phase ended: record the outcome, stop answering commands. */
  detach(run: LiveRun): void {
    this.#commands.get(run)?.();
    this.#commands.delete(run);
    this.record(run);
  }

  /** Records the run's current state. */
  record(run: LiveRun): void {
    this.#node.record({
      runId: run.runId,
      kind: 'agent',
      name: run.agent,
      userId: run.userId,
      conversationId: run.conversationId,
      status: run.status,
      nodeId: run.running ? this.#node.nodeId : null,
      data: run.outcome ? { outcome: run.outcome } : {},
      createdAt: run.createdAt,
    });
  }

  /** Records how a run ended that no local run object holds (a paused run cancelled). */
  recordOutcome(outcome: RunOutcome, userId: string, createdAt: string): void {
    this.#node.record({
      runId: outcome.runId,
      kind: 'agent',
      name: outcome.agent,
      userId,
      conversationId: outcome.conversationId,
      status: outcome.status,
      nodeId: null,
      data: { outcome },
      createdAt,
    });
  }

  /** A run of `agent` recorded by any node, by run id or (its latest) by conversation id. */
  async find(agent: string, idOrConversation: string, userId: string): Promise<StoredRun | undefined> {
    const { runs } = this.#node;
    let run = await runs.getRun(idOrConversation);
    if (run?.kind !== 'agent' || run.userId !== userId) {
      [run] = await runs.listRuns({ kind: 'agent', userId, conversationId: idOrConversation, limit: 1 });
    }
    // A run started a moment ago on another node may not be recorded yet.
    if (!run) run = await this.#node.getRun(idOrConversation);
    if (run?.kind !== 'agent' || run.userId !== userId || run.name !== agent) return undefined;
    if (run.status === 'running' && !this.#node.isLive(run)) {
      await this.#node.reapNow();
      return (await runs.getRun(run.runId)) ?? run;
    }
    return run;
  }

  /** What `GET .../runs/:runId` answers for a recorded run. */
  outcomeOf(run: StoredRun): RunOutcome {
    const outcome = run.data.outcome as RunOutcome | undefined;
    if (outcome && run.status !== 'running') return outcome;
    return {
      runId: run.runId,
      conversationId: run.conversationId,
      trackedConversationId: trackedConversationId(run.userId, run.conversationId),
      agent: run.name,
      status: run.status === 'interrupted' ? 'interrupted' : (run.status as RunOutcome['status']),
      ...(run.status === 'interrupted' ? { error: { code: 'upstream_failed', message: INTERRUPTED } } : {}),
    } as RunOutcome;
  }

  /**
   * The run's stream after `afterId` from the bus: undefined when there is nothing to resume (no bus, no
   * frames, or a stream that ended at or before `afterId` and `afterId` was not given).
   */
  async stream(run: StoredRun, afterId: number | undefined): Promise<RemoteFrames | undefined> {
    const { bus } = this.#node;
    if (!bus || !busRunId(run.runId)) return undefined;
    if (afterId === undefined && run.status !== 'running') return undefined;
    const last = await bus.lastFrame(run.runId);
    // A running run's first frames may still be on their way to the bus: follow it all the same.
    if (!last && run.status !== 'running') return undefined;
    const after = afterId ?? 0;
    if (last && after > last.id && !(run.status === 'running' && !last.end)) {
      throw new ServeError('invalid_request', `Last-Event-ID ${after} is after the last frame (${last.id})`, {
        issues: [{ path: 'Last-Event-ID', message: `must be at most ${last.id}` }],
      });
    }
    if (last?.end && last.id <= after) return remoteFrames(after, emptyFrames);
    return remoteFrames(after, (signal) => bus.follow(run.runId, after, signal));
  }

  /** Cancels a run another node runs; undefined when no node answers for it. */
  async cancel(run: StoredRun): Promise<RunOutcome | undefined> {
    if (!this.#node.bus || !busRunId(run.runId)) return undefined;
    const command: RunCommand = { type: 'cancel', userId: run.userId, kind: 'agent', name: run.name };
    // The record may lag behind the run (resumed on another node a moment ago): a few tries while it lives.
    let record = run;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const reply = await this.#node.sendCommand(record, command);
      if (reply) {
        const error = replyError(reply);
        if (error) throw error;
        return (reply as { value: RunOutcome }).value;
      }
      const now = await this.#node.runs.getRun(run.runId);
      if (!now || !this.#node.isLive(now)) return undefined;
      record = now;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
    return undefined;
  }

  /** Gives the readers of a run whose node died an error chunk, a finish and the end of the stream. */
  async #interrupted(run: StoredRun): Promise<void> {
    const { bus } = this.#node;
    if (!bus || !busRunId(run.runId)) return;
    const last = await bus.lastFrame(run.runId);
    if (!last || last.end) return;
    const chunks: Array<UIMessageChunk | '[DONE]'> = [
      { type: 'error', errorText: INTERRUPTED },
      { type: 'finish', finishReason: 'error' } as UIMessageChunk,
      '[DONE]',
    ];
    const frames = chunks.map((chunk, index) => ({
      id: last.id + 1 + index,
      event: undefined,
      data: chunk === '[DONE]' ? chunk : JSON.stringify(chunk),
    }));
    bus.publish(run.runId, frames, true);
    await bus.flush();
  }
}

async function* emptyFrames(): AsyncGenerator<never> {}
