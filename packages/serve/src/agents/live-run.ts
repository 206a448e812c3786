/**
 * A run as the server holds it while it runs and shortly after: its status, its stream frames (for SSE
 * clients and resumption), its abort controller (for cancel) and its outcome (the JSON answer).
 */
import type { AgentInputItem } from '@openai/agents-core';
import type { ErrorBody } from '@sightline/core';
import type { UIMessageChunk } from 'ai';
import { FrameLog } from '../http/frame-log.ts';
import type { ApprovalRequest } from '../sessions/session-store.ts';
import { trackedConversationId } from '../sessions/tracked-conversation.ts';

/** `interrupted`: the server running it stopped before it ended (seen from another node, or after a restart). */
export type RunStatus =
  | 'running'
  | 'awaiting_approval'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** Token usage of a run (all its model calls). */
export interface RunUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** The JSON answer of `POST /agents/:name/runs`, of approvals and of cancel. */
export interface RunOutcome {
  runId: string;
  conversationId: string;
  /** The conversation's id in Sightline (partitioned by user: `alice:chat-1`; see tracked-conversation.ts). */
  trackedConversationId: string;
  agent: string;
  status: RunStatus;
  /** The agent's final output (completed), or the text produced before a cancel. */
  output?: unknown;
  usage?: RunUsage;
  /** What the person must decide (awaiting_approval). */
  approvals?: ApprovalRequest[];
  /** Why it failed (failed). */
  error?: ErrorBody['error'];
}

export interface LiveRunInit {
  runId: string;
  agent: string;
  conversationId: string;
  userId: string;
  customerId: string | undefined;
  /** Keep stream frames (SSE clients); JSON-only runs keep none. */
  stream: boolean;
  firstFrameId?: number;
  maxFrames?: number;
}

/** One run in memory. */
export class LiveRun {
  readonly runId: string;
  readonly agent: string;
  readonly conversationId: string;
  /** Where the run is tracked: the user's conversation, never another user's of the same id. */
  readonly trackedConversationId: string;
  readonly userId: string;
  readonly customerId: string | undefined;
  readonly createdAt = new Date().toISOString();
  status: RunStatus = 'running';
  frames: FrameLog | undefined;
  controller = new AbortController();
  outcome: RunOutcome | undefined;
  /** Id of the first frame of the current phase (its `start` chunk). */
  phaseFirstFrameId = 1;
  /** True once the current phase produced an SDK event (errors before it are answered as plain JSON). */
  phaseHadEvents = false;
  /** The input of a new run's phase (a resumed phase's is its restored state): shown while it works. */
  input: string | AgentInputItem[] | undefined;
  /** The id the current phase's answer is tracked under (with a tracker), told in the `finish` chunk. */
  trackedMessageId: string | undefined;
  #settled!: Promise<RunOutcome>;
  #settle!: (outcome: RunOutcome) => void;
  #started!: Promise<void>;
  #markStarted!: () => void;
  readonly #maxFrames: number | undefined;

  constructor(init: LiveRunInit) {
    this.runId = init.runId;
    this.agent = init.agent;
    this.conversationId = init.conversationId;
    this.trackedConversationId = trackedConversationId(init.userId, init.conversationId);
    this.userId = init.userId;
    this.customerId = init.customerId;
    this.#maxFrames = init.maxFrames;
    if (init.stream) this.useFrames(init.firstFrameId ?? 1);
    this.#newPhase();
  }

  /** Resolves when the current phase produced its first event or ended (errors before it are plain 4xx). */
  get started(): Promise<void> {
    return this.#started;
  }

  /** Resolves with the outcome of the current phase. */
  get settled(): Promise<RunOutcome> {
    return this.#settled;
  }

  /** Makes sure this run keeps frames (a JSON run resumed by a streaming approval). */
  useFrames(firstId: number): FrameLog {
    if (!this.frames) {
      this.frames = new FrameLog({ firstId, ...(this.#maxFrames ? { maxFrames: this.#maxFrames } : {}) });
    } else {
      this.frames.reopen();
    }
    return this.frames;
  }

  /** Starts a new phase (resumption after approval): status running, fresh promises, a new controller. */
  resume(): void {
    this.status = 'running';
    this.outcome = undefined;
    this.controller = new AbortController();
    this.phaseHadEvents = false;
    this.#newPhase();
  }

  /** Appends a UI message chunk to the stream (when frames are kept). */
  push(chunk: UIMessageChunk): void {
    this.frames?.append(JSON.stringify(chunk));
  }

  /** Records the beginning of a phase's frames (call before pushing its `start` chunk). */
  beginFrames(): void {
    this.phaseFirstFrameId = this.nextFrameId;
  }

  /** The phase produced its first SDK event: the run is under way. */
  markStarted(): void {
    this.phaseHadEvents = true;
    this.#markStarted();
  }

  /** Ends the phase: records the outcome, ends the stream with `[DONE]`, wakes the waiters. */
  finish(outcome: RunOutcome): void {
    this.status = outcome.status;
    this.outcome = outcome;
    if (this.frames?.open) {
      this.frames.append('[DONE]');
      this.frames.close();
    }
    this.#markStarted();
    this.#settle(outcome);
  }

  /** The id the next frame will get (persisted with a paused run). */
  get nextFrameId(): number {
    return this.frames?.nextId ?? 1;
  }

  /** True while the run works (not paused, not finished). */
  get running(): boolean {
    return this.status === 'running';
  }

  #newPhase(): void {
    this.#settled = new Promise((resolve) => {
      this.#settle = resolve;
    });
    this.#started = new Promise((resolve) => {
      this.#markStarted = resolve;
    });
  }
}
