import { BASE_EVENT_BYTES, type ConversationScope, estimateValueBytes } from './raw-event.ts';
import { optionalMillis, snapshot, type TrackerCore } from './tracker-core.ts';
import type { ConversationHandle, StepEndResult, StepHandle } from './tracking-options.ts';

/** The conversation a step belongs to: a handle, and the fields its events carry. */
export type StepConversation = ConversationHandle & { readonly scope: ConversationScope };

/** Everything a step handle needs to record its end event. */
export interface StepInit {
  conversation: StepConversation;
  core: TrackerCore;
  id: string;
  type: string;
  name: string;
  parentId: string | undefined;
  /** Epoch milliseconds. */
  startedAt: number;
  /** True when the start time was "now": the duration is then measured with the monotonic clock. */
  measured: boolean;
  metadata: Record<string, unknown> | undefined;
}

/**
 * A running step. `end()` records the end event (same `stepId`, with `endedAt`, `durationMs`,
 * output, error and usage) once; later calls are ignored.
 */
export class TrackedStep implements StepHandle {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly parentId: string | undefined;
  readonly startedAt: number;
  /** The conversation this step belongs to. */
  readonly conversation: StepConversation;
  private readonly core: TrackerCore;
  private readonly startPerf: number;
  private readonly measured: boolean;
  private readonly metadata: Record<string, unknown> | undefined;
  private done = false;

  constructor(init: StepInit) {
    this.conversation = init.conversation;
    this.core = init.core;
    this.id = init.id;
    this.type = init.type;
    this.name = init.name;
    this.parentId = init.parentId;
    this.startedAt = init.startedAt;
    this.measured = init.measured;
    this.metadata = init.metadata;
    this.startPerf = init.measured ? performance.now() : 0;
  }

  get conversationId(): string {
    return this.conversation.id;
  }

  get ended(): boolean {
    return this.done;
  }

  end(result?: StepEndResult): void {
    if (this.done) return;
    this.done = true;
    try {
      const { core } = this;
      const eventId = core.ids.next();
      const explicitEnd = optionalMillis(result?.endedAt);
      const endedAt = explicitEnd ?? core.ids.now;
      const durationMs =
        this.measured && explicitEnd === undefined
          ? performance.now() - this.startPerf
          : Math.max(0, endedAt - this.startedAt);
      const output = snapshot(result?.output);
      core.record({
        seq: 0,
        id: eventId,
        kind: 'step',
        ts: endedAt,
        ctx: this.conversation.scope,
        size: BASE_EVENT_BYTES + estimateValueBytes(output),
        stepId: this.id,
        parentId: this.parentId,
        type: this.type,
        name: this.name,
        startedAt: this.startedAt,
        endedAt,
        durationMs,
        input: undefined,
        output,
        error: result?.error,
        toolsUsed: result?.toolsUsed,
        usage: result?.usage,
        metadata: result?.metadata ?? this.metadata,
      });
    } catch (error) {
      this.core.internal('step.end', error);
    }
  }
}

/** A step handle that records nothing (no conversation in context, or tracking failed). */
export const UNTRACKED_STEP: StepHandle = Object.freeze({
  id: '',
  conversationId: '',
  type: 'untracked',
  name: 'untracked',
  ended: true,
  end: () => undefined,
});
