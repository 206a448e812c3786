import {
  BASE_EVENT_BYTES,
  type ConversationScope,
  estimateValueBytes,
  OPAQUE_VALUE_BYTES,
} from './raw-event.ts';
import { recordScore } from './score-recording.ts';
import { currentScope, runWithStep } from './step-context.ts';
import { TrackedStep, UNTRACKED_STEP } from './step-handle.ts';
import { optionalMillis, snapshot, type TrackerCore, toMillis } from './tracker-core.ts';
import type {
  ActionOptions,
  ConversationHandle,
  ConversationOptions,
  FeedbackOptions,
  GenerationOptions,
  MessageOptions,
  ScoreOptions,
  StepHandle,
  StepOptions,
} from './tracking-options.ts';

export type { ConversationHandle };

type StartOptions = StepOptions & { stepId?: string; startedAt?: Date };

/** The tracker's implementation of a conversation handle. */
export class TrackedConversation implements ConversationHandle {
  readonly id: string;
  /** Fields every event of this conversation carries; replaced (never mutated) by `update`. */
  scope: ConversationScope;
  readonly core: TrackerCore;
  /** False when the id was unusable: every call is then counted as dropped. */
  private readonly valid: boolean;

  constructor(core: TrackerCore, id: string, scope: ConversationScope, valid: boolean) {
    this.core = core;
    this.id = id;
    this.scope = scope;
    this.valid = valid;
  }

  update(context: ConversationOptions & { endedAt?: Date }): void {
    try {
      const { scope } = this;
      if (
        (context.customerId !== undefined && context.customerId !== scope.customerId) ||
        (context.source !== undefined && context.source !== scope.source) ||
        (context.environment !== undefined && context.environment !== scope.environment) ||
        (context.agentVersion !== undefined && context.agentVersion !== scope.agentVersion)
      ) {
        this.scope = {
          conversationId: scope.conversationId,
          customerId: context.customerId ?? scope.customerId,
          source: context.source ?? scope.source,
          environment: context.environment ?? scope.environment,
          agentVersion: context.agentVersion ?? scope.agentVersion,
        };
      }
      this.recordConversation(context, optionalMillis(context.endedAt));
    } catch (error) {
      this.core.internal('conversation.update', error);
    }
  }

  /** Sends the descriptive fields of a conversation (name, device, language, metadata, tags). */
  recordConversation(context: ConversationOptions, endedAt: number | undefined): void {
    if (!this.accept()) return;
    const { core } = this;
    const id = core.ids.next();
    core.record({
      seq: 0,
      id,
      kind: 'conversation',
      ts: core.ids.now,
      ctx: this.scope,
      size: BASE_EVENT_BYTES + (context.metadata ? OPAQUE_VALUE_BYTES : 0),
      name: context.name,
      device: context.device,
      language: context.language,
      metadata: context.metadata,
      tags: context.tags,
      startedAt: undefined,
      endedAt,
    });
  }

  trackHumanMessage(content: string, options?: MessageOptions): string {
    return this.message('human', content, options);
  }

  trackAgentMessage(content: string, options?: MessageOptions): string {
    return this.message('agent', content, options);
  }

  /** Records a system message (instructions, notices); returns the message id. */
  trackSystemMessage(content: string, options?: MessageOptions): string {
    return this.message('system', content, options);
  }

  private message(
    role: 'human' | 'agent' | 'system',
    content: string,
    options: MessageOptions | undefined,
  ): string {
    const { core } = this;
    const id = core.ids.next();
    if (!this.accept()) return options?.messageId ?? id;
    try {
      core.record({
        seq: 0,
        id,
        kind: 'message',
        ts: options?.timestamp === undefined ? core.ids.now : toMillis(options.timestamp, core.ids.now),
        ctx: this.scope,
        size: BASE_EVENT_BYTES + estimateValueBytes(content),
        role,
        content,
        messageId: options?.messageId,
        metadata: options?.metadata,
        attachments: options?.attachments,
      });
    } catch (error) {
      core.internal(
        `track${role === 'human' ? 'Human' : role === 'agent' ? 'Agent' : 'System'}Message`,
        error,
      );
    }
    return options?.messageId ?? id;
  }

  trackAction(action: ActionOptions): string {
    const { core } = this;
    const id = core.ids.next();
    if (!this.accept()) return id;
    try {
      if (!action || typeof action.name !== 'string' || action.name.length === 0) {
        core.invalid('action.name', 'is required (a non-empty string)');
        return id;
      }
      const timing = finishedTiming(action, core.ids.now);
      core.record({
        seq: 0,
        id,
        kind: 'step',
        ts: timing.endedAt,
        ctx: this.scope,
        size: BASE_EVENT_BYTES + estimateValueBytes(action.input) + estimateValueBytes(action.response),
        stepId: id,
        parentId: this.parentFor(action.parentId),
        type: action.type ?? 'action',
        name: action.name,
        startedAt: timing.startedAt,
        endedAt: timing.endedAt,
        durationMs: timing.durationMs,
        input: snapshot(action.input),
        output: snapshot(action.response),
        error: action.error,
        toolsUsed: action.toolsUsed,
        usage: undefined,
        metadata: action.metadata,
      });
    } catch (error) {
      core.internal('trackAction', error);
    }
    return id;
  }

  trackGeneration(generation: GenerationOptions): string {
    const { core } = this;
    const id = core.ids.next();
    if (!this.accept()) return id;
    try {
      if (!generation || typeof generation.model !== 'string' || generation.model.length === 0) {
        core.invalid('generation.model', 'is required (a non-empty string)');
        return id;
      }
      const timing = finishedTiming(generation, core.ids.now);
      const { inputTokens, outputTokens } = generation;
      const totalTokens =
        generation.totalTokens ??
        (inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined);
      core.record({
        seq: 0,
        id,
        kind: 'step',
        ts: timing.endedAt,
        ctx: this.scope,
        size: BASE_EVENT_BYTES + estimateValueBytes(generation.input) + estimateValueBytes(generation.output),
        stepId: id,
        parentId: this.parentFor(generation.parentId),
        type: 'llm',
        name: generation.name ?? generation.model,
        startedAt: timing.startedAt,
        endedAt: timing.endedAt,
        durationMs: timing.durationMs,
        input: snapshot(generation.input),
        output: snapshot(generation.output),
        error: generation.error,
        toolsUsed: generation.toolsUsed,
        usage: {
          model: generation.model,
          provider: generation.provider,
          inputTokens,
          outputTokens,
          totalTokens,
          costUsd: generation.costUsd,
          timeToFirstTokenMs: generation.timeToFirstTokenMs,
        },
        metadata: generation.metadata,
      });
    } catch (error) {
      core.internal('trackGeneration', error);
    }
    return id;
  }

  trackFeedback(feedback: FeedbackOptions): string {
    const { core } = this;
    const id = core.ids.next();
    if (!this.accept()) return feedback?.feedbackId ?? id;
    try {
      if (!feedback || (feedback.sentiment === undefined && feedback.score === undefined)) {
        core.invalid('feedback.sentiment', 'feedback needs a sentiment or a score');
        return feedback?.feedbackId ?? id;
      }
      core.record({
        seq: 0,
        id,
        kind: 'feedback',
        ts: core.ids.now,
        ctx: this.scope,
        size: BASE_EVENT_BYTES + estimateValueBytes(feedback.comment),
        feedbackId: feedback.feedbackId,
        messageId: feedback.messageId,
        sentiment: feedback.sentiment,
        score: feedback.score,
        comment: feedback.comment,
        source: feedback.source,
        metadata: feedback.metadata,
      });
    } catch (error) {
      core.internal('trackFeedback', error);
    }
    return feedback.feedbackId ?? id;
  }

  score(score: ScoreOptions): string {
    if (!this.accept()) return typeof score?.scoreId === 'string' ? score.scoreId : this.core.ids.next();
    try {
      return recordScore(this, score);
    } catch (error) {
      this.core.internal('score', error);
      return typeof score?.scoreId === 'string' ? score.scoreId : this.core.ids.next();
    }
  }

  step<T>(options: StepOptions, fn: (step: StepHandle) => T | Promise<T>): Promise<T> {
    let step: StepHandle;
    try {
      step = this.startStep(options);
    } catch (error) {
      this.core.internal('step', error);
      step = UNTRACKED_STEP;
    }
    if (!(step instanceof TrackedStep)) return runStep(step, fn);
    return runWithStep(this, step, () => runStep(step, fn));
  }

  startStep(options: StartOptions): StepHandle {
    const { core } = this;
    try {
      const eventId = core.ids.next();
      const startedAt =
        options.startedAt === undefined ? core.ids.now : toMillis(options.startedAt, core.ids.now);
      const step = new TrackedStep({
        conversation: this,
        core,
        id: options.stepId ?? eventId,
        type: options.type,
        name: options.name,
        parentId: this.parentFor(options.parentId),
        startedAt,
        measured: options.startedAt === undefined,
        metadata: options.metadata,
      });
      if (!this.accept()) return step;
      const input = snapshot(options.input);
      core.record({
        seq: 0,
        id: eventId,
        kind: 'step',
        ts: startedAt,
        ctx: this.scope,
        size: BASE_EVENT_BYTES + estimateValueBytes(input),
        stepId: step.id,
        parentId: step.parentId,
        type: step.type,
        name: step.name,
        startedAt,
        endedAt: undefined,
        durationMs: undefined,
        input,
        output: undefined,
        error: undefined,
        toolsUsed: undefined,
        usage: undefined,
        metadata: options.metadata,
      });
      return step;
    } catch (error) {
      core.internal('startStep', error);
      return UNTRACKED_STEP;
    }
  }

  /** undefined: the current step of this conversation in the async context; null: root; string: that step. */
  private parentFor(parentId: string | null | undefined): string | undefined {
    if (parentId === null) return undefined;
    if (parentId !== undefined) return parentId;
    const step = currentScope()?.step;
    return step && step.conversationId === this.id && step.id !== '' ? step.id : undefined;
  }

  private accept(): boolean {
    if (this.valid) return true;
    if (this.core.enabled) this.core.stats.drop('invalid_input');
    return false;
  }
}

/** Start, end and duration of a finished action or generation, filling in what was not given. */
function finishedTiming(
  timing: { startedAt?: Date; endedAt?: Date; durationMs?: number },
  now: number,
): { startedAt: number; endedAt: number; durationMs: number | undefined } {
  let startedAt = timing.startedAt === undefined ? undefined : optionalMillis(timing.startedAt);
  let endedAt = timing.endedAt === undefined ? undefined : optionalMillis(timing.endedAt);
  let durationMs =
    typeof timing.durationMs === 'number' && Number.isFinite(timing.durationMs)
      ? timing.durationMs
      : undefined;
  if (durationMs === undefined && startedAt !== undefined && endedAt !== undefined)
    durationMs = endedAt - startedAt;
  if (endedAt === undefined)
    endedAt = startedAt !== undefined && durationMs !== undefined ? startedAt + durationMs : now;
  if (startedAt === undefined) startedAt = endedAt - (durationMs ?? 0);
  return { startedAt, endedAt, durationMs };
}

/** Runs a step's function; ends the step with its return value or its error (which is rethrown). */
async function runStep<T>(step: StepHandle, fn: (step: StepHandle) => T | Promise<T>): Promise<T> {
  let output: T;
  try {
    output = await fn(step);
  } catch (error) {
    step.end({ error: error === undefined ? new Error('undefined was thrown') : error });
    throw error;
  }
  step.end({ output });
  return output;
}
