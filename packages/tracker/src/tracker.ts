import { newId } from '@sightline/core';
import { type ConversationHandle, TrackedConversation } from './conversation-handle.ts';
import { resolveConnection } from './credentials.ts';
import { createDefaultErrorHandler, type ErrorHandler, safeErrorHandler } from './error-reporter.ts';
import { describeError, TrackerError } from './errors.ts';
import { EventBuffer } from './export/event-buffer.ts';
import { Exporter } from './export/exporter.ts';
import { Spool } from './export/spool.ts';
import { type ExitParticipant, registerExitParticipant, unregisterExitParticipant } from './process-hooks.ts';
import { bindConversation, currentScope, runWithConversation, runWithStep } from './step-context.ts';
import { TrackedStep, UNTRACKED_STEP } from './step-handle.ts';
import { TrackerCore } from './tracker-core.ts';
import {
  type ResolvedTrackerOptions,
  resolveTrackerOptions,
  type TrackerOptions,
} from './tracker-options.ts';
import { type FlushSummary, StatsRecorder, type TrackerStats } from './tracker-stats.ts';
import type {
  ActionOptions,
  ConversationOptions,
  FeedbackOptions,
  GenerationOptions,
  MessageOptions,
  ScoreOptions,
  StepHandle,
  StepOptions,
} from './tracking-options.ts';
import { cleanId } from './wire-limits.ts';

/** Version reported to the collector in every ingest request. */
export const TRACKER_VERSION = '0.1.0';
const DEFAULT_FLUSH_TIMEOUT_MS = 10_000;

/** The tracker: conversations, ambient tracking bound to the async context, flush and stats. */
export interface Tracker {
  /** A handle on conversation `id` (your string, e.g. `web-chat-123`). */
  conversation(id: string, context?: ConversationOptions): ConversationHandle;
  /** The seeds' `get_or_create_conversation`: a handle, also made current for this async context. */
  getOrCreateConversation(options: { conversationId: string } & ConversationOptions): ConversationHandle;
  /** Runs `fn` with `handle` as the current conversation (what the middleware does per request). */
  runInConversation<T>(handle: ConversationHandle, fn: () => T): T;
  /** Runs `fn` with `step` as the current step: steps started inside nest under it. */
  runInStep<T>(step: StepHandle, fn: () => T): T;
  /** The conversation of the current async context. */
  currentConversation(): ConversationHandle | undefined;
  /** The innermost step of the current async context. */
  currentStep(): StepHandle | undefined;
  /** Ambient forms: record on the current conversation; undefined (and a counted drop) when there is none. */
  trackHumanMessage(content: string, options?: MessageOptions): string | undefined;
  trackAgentMessage(content: string, options?: MessageOptions): string | undefined;
  trackAction(action: ActionOptions): string | undefined;
  trackGeneration(generation: GenerationOptions): string | undefined;
  trackFeedback(feedback: FeedbackOptions): string | undefined;
  /**
   * Scores conversation `conversationId` (default: the current one), or one of its messages or steps;
   * returns the score id, undefined when there is no conversation. Bad input goes to `onError`.
   */
  score(score: ScoreOptions & { conversationId?: string }): string | undefined;
  /** Times `fn` as a step of the current conversation (runs it untracked when there is none). */
  step<T>(options: StepOptions, fn: (step: StepHandle) => T | Promise<T>): Promise<T>;
  /** Resolves once the server acknowledged what was buffered at call time (or at the timeout). */
  flush(options?: { timeoutMs?: number }): Promise<FlushSummary>;
  /**
   * Registers `hook` to run synchronously first in every flush, shutdown and exit, so a producer that
   * tracks in the background (the agents tracing processor) hands over what it holds; returns the removal.
   */
  addFlushHook(hook: () => void): () => void;
  /** Flushes, stops the timers and spools what is left; later tracking calls are counted as dropped. */
  shutdown(options?: { timeoutMs?: number }): Promise<FlushSummary>;
  /** Counters since start: buffered, sent, failed, dropped (by reason), spooled... */
  stats(): TrackerStats;
}

/** Creates a tracker with explicit options (the exported `tracker` is one configured from the environment). */
export function createTracker(options: TrackerOptions = {}): Tracker {
  return new SightlineTracker(options);
}

/** The tracker implementation; see {@link Tracker}. */
export class SightlineTracker implements Tracker, ExitParticipant {
  readonly instanceId = newId();
  readonly handleSignals: boolean;
  private readonly config: ResolvedTrackerOptions;
  private readonly core: TrackerCore;
  private readonly statsRecorder = new StatsRecorder();
  private readonly buffer: EventBuffer;
  private readonly exporter: Exporter;
  private readonly spool: Spool | undefined;
  private readonly report: ErrorHandler;
  private shutdownPromise: Promise<FlushSummary> | undefined;
  private exitFlushTried = false;
  private readonly flushHooks = new Set<() => void>();

  constructor(options: TrackerOptions = {}) {
    this.config = resolveTrackerOptions(options);
    this.handleSignals = this.config.handleSignals;
    const { config, statsRecorder: stats } = this;
    const handler = safeErrorHandler(options.onError ?? createDefaultErrorHandler());
    this.report = (error) => {
      stats.lastError = { code: error.code, message: error.message, at: new Date().toISOString() };
      handler(error);
    };
    const connection = resolveConnection(options);
    this.buffer = new EventBuffer({
      maxEvents: config.maxBufferEvents,
      maxBytes: config.maxBufferBytes,
      stats,
      beforeSend: options.beforeSend,
      wake: () => this.exporter.wake(),
      onEncodeFailure: (reason, cause) =>
        this.report(
          new TrackerError(
            'internal',
            `an event was dropped (${reason}): ${String((cause as Error)?.message ?? cause)}`,
            {
              cause,
            },
          ),
        ),
    });
    this.spool =
      config.enabled && config.spoolDir
        ? new Spool({ dir: config.spoolDir, instanceId: this.instanceId, maxBytes: config.maxSpoolBytes })
        : undefined;
    this.exporter = new Exporter({
      buffer: this.buffer,
      stats,
      spool: this.spool,
      client: {
        endpoint: connection.endpoint,
        apiKey: connection.apiKey,
        fetch: options.fetch ?? ((input, init) => fetch(input, init)),
        timeoutMs: config.requestTimeoutMs,
        userAgent: `sightline-tracker/${TRACKER_VERSION} node/${process.versions.node}`,
      },
      batchSize: config.batchSize,
      maxBatchBytes: config.maxBatchBytes,
      flushIntervalMs: config.flushIntervalMs,
      backoff: { baseDelayMs: config.retryBaseDelayMs, maxDelayMs: config.retryMaxDelayMs },
      instanceId: this.instanceId,
      version: TRACKER_VERSION,
      report: this.report,
    });
    this.core = new TrackerCore({
      buffer: this.buffer,
      stats,
      report: this.report,
      defaultEnvironment: config.environment,
      enabled: config.enabled,
    });
    if (config.enabled && (config.exitHooks || config.handleSignals)) registerExitParticipant(this);
  }

  conversation(id: string, context: ConversationOptions = {}): ConversationHandle {
    const clean = cleanId(id);
    const valid = typeof id === 'string' && clean === id;
    if (!valid) {
      this.core.invalid(
        'conversationId',
        `must be 1..256 printable characters (got ${typeof id === 'string' ? `${id.length} characters` : typeof id}); events of this conversation are dropped`,
        null,
      );
    }
    const handle = new TrackedConversation(
      this.core,
      String(id),
      {
        conversationId: String(id),
        customerId: context?.customerId,
        source: context?.source,
        environment: context?.environment ?? this.core.defaultEnvironment,
        agentVersion: context?.agentVersion,
      },
      valid,
    );
    if (valid && context && hasDescriptiveFields(context)) handle.recordConversation(context, undefined);
    return handle;
  }

  getOrCreateConversation(options: { conversationId: string } & ConversationOptions): ConversationHandle {
    const { conversationId, ...context } = options ?? ({} as { conversationId: string });
    const handle = this.conversation(conversationId, context);
    try {
      bindConversation(handle);
    } catch (error) {
      this.core.internal('getOrCreateConversation', error);
    }
    return handle;
  }

  runInConversation<T>(handle: ConversationHandle, fn: () => T): T {
    return runWithConversation(handle instanceof TrackedConversation ? handle : undefined, fn);
  }

  runInStep<T>(step: StepHandle, fn: () => T): T {
    if (step instanceof TrackedStep) return runWithStep(step.conversation, step, fn);
    return fn();
  }

  currentConversation(): ConversationHandle | undefined {
    return currentScope()?.conversation;
  }

  currentStep(): StepHandle | undefined {
    return currentScope()?.step;
  }

  trackHumanMessage(content: string, options?: MessageOptions): string | undefined {
    return this.ambient('trackHumanMessage')?.trackHumanMessage(content, options);
  }

  trackAgentMessage(content: string, options?: MessageOptions): string | undefined {
    return this.ambient('trackAgentMessage')?.trackAgentMessage(content, options);
  }

  trackAction(action: ActionOptions): string | undefined {
    return this.ambient('trackAction')?.trackAction(action);
  }

  trackGeneration(generation: GenerationOptions): string | undefined {
    return this.ambient('trackGeneration')?.trackGeneration(generation);
  }

  trackFeedback(feedback: FeedbackOptions): string | undefined {
    return this.ambient('trackFeedback')?.trackFeedback(feedback);
  }

  score(score: ScoreOptions & { conversationId?: string }): string | undefined {
    const { conversationId, ...options } = score ?? ({} as ScoreOptions);
    if (conversationId === undefined) return this.ambient('score')?.score(options);
    return this.conversation(conversationId).score(options);
  }

  step<T>(options: StepOptions, fn: (step: StepHandle) => T | Promise<T>): Promise<T> {
    const conversation = this.ambient('step');
    if (conversation) return conversation.step(options, fn);
    return (async () => fn(UNTRACKED_STEP))();
  }

  async flush(options: { timeoutMs?: number } = {}): Promise<FlushSummary> {
    this.runFlushHooks();
    return this.exporter.flush(options.timeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS);
  }

  addFlushHook(hook: () => void): () => void {
    const entry = () => hook();
    this.flushHooks.add(entry);
    return () => this.flushHooks.delete(entry);
  }

  shutdown(options: { timeoutMs?: number } = {}): Promise<FlushSummary> {
    this.runFlushHooks();
    this.shutdownPromise ??= (async () => {
      const summary = await this.exporter.flush(options.timeoutMs ?? this.config.shutdownTimeoutMs);
      this.core.closed = true;
      this.exporter.stop();
      await this.exporter.persistWaiting();
      unregisterExitParticipant(this);
      return { ...summary, spooled: this.spool?.eventCount ?? 0 };
    })();
    return this.shutdownPromise;
  }

  stats(): TrackerStats {
    const stats = this.statsRecorder;
    return {
      enabled: this.core.enabled,
      instanceId: this.instanceId,
      buffered: this.buffer.count,
      bufferedBytes: this.buffer.bytes,
      tracked: stats.tracked,
      sent: stats.sent,
      duplicates: stats.duplicates,
      failed: stats.failed,
      failedReasons: { ...stats.failedReasons },
      filtered: stats.filtered,
      truncated: stats.truncated,
      dropped: {
        events: stats.droppedEvents,
        payloadsTruncated: stats.payloadsTruncated,
        reasons: { ...stats.dropReasons },
      },
      spooled: this.spool?.eventCount ?? 0,
      spooledBytes: this.spool?.bytes ?? 0,
      requests: stats.requests,
      retries: stats.retries,
      lastError: stats.lastError,
    };
  }

  /** Reports a problem met by an integration or middleware of this tracker through `onError`. */
  reportError(error: TrackerError): void {
    this.report(error);
  }

  /** @internal process hook: the event loop is empty; flush once, bounded. */
  onBeforeExit(): void {
    if (this.config.exitHooks) this.runFlushHooks();
    if (!this.config.exitHooks || this.exitFlushTried || this.shutdownPromise) return;
    if (this.buffer.count + (this.spool?.eventCount ?? 0) === 0) return;
    this.exitFlushTried = true;
    void this.exporter.flush(this.config.shutdownTimeoutMs).then((summary) => {
      if (!summary.timedOut) this.exitFlushTried = false;
    });
  }

  /** @internal process hook: the process is exiting. */
  onExitSync(): void {
    if (!this.config.exitHooks) return;
    this.runFlushHooks();
    this.core.closed = true;
    this.exporter.exitSync();
  }

  /** @internal process hook: SIGTERM/SIGINT with `handleSignals`. */
  onSignal(): Promise<FlushSummary> {
    return this.shutdown({ timeoutMs: this.config.shutdownTimeoutMs });
  }

  /** Runs the flush hooks; one that throws is reported and the others still run. */
  private runFlushHooks(): void {
    for (const hook of this.flushHooks) {
      try {
        hook();
      } catch (error) {
        this.report(
          new TrackerError('internal', `a flush hook failed: ${describeError(error)}`, { cause: error }),
        );
      }
    }
  }

  private ambient(operation: string): TrackedConversation | undefined {
    const conversation = currentScope()?.conversation;
    // Only the tracker's own conversations enter a scope (runInConversation, bindConversation).
    if (conversation instanceof TrackedConversation) return conversation;
    this.core.invalid(
      operation,
      'no conversation in the current async context: call tracker.getOrCreateConversation(...) first, use the middleware, or use a conversation handle',
      'no_conversation',
    );
    return undefined;
  }
}

function hasDescriptiveFields(context: ConversationOptions): boolean {
  return (
    context.name !== undefined ||
    context.device !== undefined ||
    context.language !== undefined ||
    context.metadata !== undefined ||
    context.tags !== undefined
  );
}
