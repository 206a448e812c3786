/**
 * Workflow runs across nodes and restarts: answers other nodes' commands for this node's runs (answer,
 * cancel, touch), and opens runs of other nodes (or of a previous life of this one) as a
 * `RemoteWorkflowRun`: its events from the bus while its node runs it, else from the run store; answers
 * and cancels go to the node running it. A run whose node died is `interrupted`: readers get an
 * `interrupted` event after what it had said.
 */
import type { StoredRun } from '@sightline/agents';
import { busRunId, type CommandReply, type RunCommand, refusal, replyError } from '../bus/run-bus.ts';
import { ServeError } from '../errors.ts';
import type { Frame } from '../http/frame-log.ts';
import type { WorkflowEvent } from '../workflows/workflow.ts';
import type { WorkflowRun, WorkflowRunStatus } from '../workflows/workflow-run.ts';
import { type RemoteFrames, remoteFrames } from './remote-frames.ts';
import type { ServeNode } from './serve-node.ts';

const INTERRUPTED = 'the server running this workflow stopped before it ended';
const ENDINGS: Record<string, WorkflowRunStatus> = {
  completed: 'completed',
  error: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** A run of another node (or an earlier process), as the workflow routes use a local one. */
export class RemoteWorkflowRun {
  readonly runId: string;
  readonly workflow: string;
  readonly userId: string;
  readonly conversationId: string;
  readonly frames: RemoteFrames['log'];
  readers = 0;
  lastReadAt = Date.now();
  readonly #record: StoredRun;
  readonly #remote: RemoteWorkflowRuns;
  readonly #stop: () => void;

  constructor(record: StoredRun, frames: RemoteFrames, remote: RemoteWorkflowRuns) {
    this.runId = record.runId;
    this.workflow = record.name;
    this.userId = record.userId;
    this.conversationId = record.conversationId;
    this.frames = frames.log;
    this.#record = record;
    this.#remote = remote;
    this.#stop = frames.stop;
  }

  /** The status the events read so far tell (their last event ends the run), else the record's. */
  get status(): WorkflowRunStatus {
    const last = this.frames.framesAfter(this.frames.lastId - 1).at(-1);
    return (last?.event && ENDINGS[last.event]) || (this.#record.status as WorkflowRunStatus);
  }

  get result(): string | undefined {
    return this.#record.data.result as string | undefined;
  }

  async answer(questionId: string, answer: unknown): Promise<void> {
    await this.#remote.send(this.#record, {
      type: 'answer',
      userId: this.userId,
      questionId,
      answer: answer as string,
    });
  }

  async cancel(_reason: string): Promise<void> {
    await this.#remote.send(this.#record, {
      type: 'cancel',
      userId: this.userId,
      kind: 'workflow',
      name: this.workflow,
    });
  }

  /** Stops reading its events (the client went away). */
  close(): void {
    this.#stop();
  }
}

/** The cross-node side of WorkflowRuns. */
export class RemoteWorkflowRuns {
  readonly #node: ServeNode;
  readonly #commands = new Map<string, () => void>();

  constructor(node: ServeNode) {
    this.#node = node;
    node.onInterrupted('workflow', (run) => this.#interrupted(run));
  }

  /** A local run starts: answer commands for it until it ends. */
  attach(run: WorkflowRun): void {
    if (!this.#node.bus) return;
    this.#commands.set(
      run.runId,
      this.#node.handleCommands(run.runId, (command) => onCommand(run, command)),
    );
    void run.done.finally(() => {
      this.#commands.get(run.runId)?.();
      this.#commands.delete(run.runId);
    });
  }

  /** A workflow run of `userId` recorded by any node; a run of a silent node is interrupted first. */
  async find(runId: string, userId: string): Promise<StoredRun | undefined> {
    const { runs } = this.#node;
    const run = await this.#node.getRun(runId);
    if (run?.kind !== 'workflow' || run.userId !== userId) return undefined;
    if (run.status === 'running' && !this.#node.isLive(run)) {
      await this.#node.reapNow();
      return (await runs.getRun(runId)) ?? run;
    }
    return run;
  }

  /** Opens a recorded run to read its events after `afterId` (live from the bus while it runs). */
  async open(record: StoredRun, afterId: number): Promise<RemoteWorkflowRun> {
    const { bus } = this.#node;
    const live = bus && this.#node.isLive(record) && busRunId(record.runId);
    if (!bus || !live) {
      return new RemoteWorkflowRun(
        record,
        remoteFrames(afterId, () => this.#replay(record.runId, afterId)),
        this,
      );
    }
    const frames = remoteFrames(afterId, (signal) => bus.follow(record.runId, afterId, signal));
    // Its node cancels a run nobody reads for a while: a reader here counts.
    const touch = () =>
      void this.#node.sendCommand(record, { type: 'touch', userId: record.userId }).catch(() => undefined);
    touch();
    const timer = setInterval(touch, 60_000);
    timer.unref();
    const stop = () => {
      clearInterval(timer);
      frames.stop();
    };
    return new RemoteWorkflowRun(record, { log: frames.log, stop }, this);
  }

  /** The open questions of a recorded run: asked and not answered, by its stored events. */
  async openQuestions(record: StoredRun): Promise<string[]> {
    if (record.status !== 'running') return [];
    const open = new Set<string>();
    for (const frame of await this.#stored(record.runId, 0)) {
      const event = JSON.parse(frame.data) as WorkflowEvent;
      if (event.type === 'ask' || event.type === 'choose') open.add(event.questionId);
      if (event.type === 'answered') open.delete(event.questionId);
    }
    return [...open];
  }

  /** Sends a command to the node running `record`; conflict when no node runs it any more. */
  async send(record: StoredRun, command: RunCommand): Promise<unknown> {
    let current = record;
    for (let attempt = 0; this.#node.bus && busRunId(record.runId) && attempt < 5; attempt += 1) {
      const reply = await this.#node.sendCommand(current, command);
      if (reply) {
        const error = replyError(reply);
        if (error) throw error;
        return reply.ok ? reply.value : undefined;
      }
      const now = await this.#node.runs.getRun(record.runId);
      if (!now || !this.#node.isLive(now)) break;
      current = now;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
    const now = (await this.find(record.runId, record.userId)) ?? record;
    if (command.type === 'cancel' && now.status !== 'running') return { status: now.status };
    throw new ServeError(
      'conflict',
      `workflow run ${record.runId} is ${now.status === 'running' ? 'not reachable' : now.status}`,
    );
  }

  /** A run's stored events after `afterId`, as a frame source. */
  async *#replay(runId: string, afterId: number): AsyncGenerator<Frame> {
    yield* await this.#stored(runId, afterId);
  }

  async #stored(runId: string, afterId: number): Promise<Frame[]> {
    const events = await this.#node.runs.readEvents(runId, afterId);
    return events.map((event) => ({
      id: event.eventId,
      event: (JSON.parse(event.data) as { type?: string }).type,
      data: event.data,
    }));
  }

  /** Tells the readers of a run whose node died: an `interrupted` event after its last one. */
  async #interrupted(run: StoredRun): Promise<void> {
    const { bus } = this.#node;
    const stored = (await this.#node.runs.readEvents(run.runId, 0)).at(-1)?.eventId ?? 0;
    const last = bus && busRunId(run.runId) ? await bus.lastFrame(run.runId) : undefined;
    if (last?.end) return;
    const event: WorkflowEvent = { type: 'interrupted', reason: INTERRUPTED };
    const frame = { id: Math.max(stored, last?.id ?? 0) + 1, event: event.type, data: JSON.stringify(event) };
    await this.#node.runs.appendEvents([{ runId: run.runId, eventId: frame.id, data: frame.data }]);
    if (bus && last) {
      bus.publish(run.runId, [frame], true);
      await bus.flush();
    }
  }
}

/** Another node's command for a local run: the same checks as a local request. */
async function onCommand(run: WorkflowRun, command: RunCommand): Promise<CommandReply> {
  if (command.userId !== run.userId)
    return refusal(new ServeError('not_found', `no workflow run ${run.runId}`));
  try {
    if (command.type === 'answer') {
      if (run.status !== 'running')
        throw new ServeError('conflict', `workflow run ${run.runId} is ${run.status}`);
      run.answer(command.questionId, command.answer);
      return { ok: true };
    }
    if (command.type === 'touch') {
      run.lastReadAt = Date.now();
      return { ok: true };
    }
    run.cancel('cancelled by the user');
    return { ok: true, value: { status: run.status } };
  } catch (error) {
    return refusal(error);
  }
}
