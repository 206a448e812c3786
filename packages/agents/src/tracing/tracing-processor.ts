/**
 * `SightlineTracingProcessor`: the SDK's TracingProcessor that turns every agent run into a Sightline
 * conversation (messages + step tree) through the tracker, with no tracking code in the app. Spans become
 * steps (span-mapping.ts) whose ids are the span ids, so the SDK's span tree is the step tree. Inside
 * a run it only notes which conversation the run belongs to (read from the async context) and queues
 * the span; the mapping happens after the run's turn of the event loop, or first thing in a tracker
 * flush (deferred-work.ts), as the SDK's own batch exporter does. Nothing here awaits I/O or throws
 * into a run.
 */
import type { Span, SpanData, Trace, TracingProcessor } from '@openai/agents-core';
import { onAgentStart } from './agent-start-hook.ts';
import { type AgentVersionLabel, agentVersionOf } from './agent-version.ts';
import { claimAnswerMessageId } from './answer-message.ts';
import {
  type ConversationBinding,
  currentConversationBinding,
  onSessionAnnounced,
} from './conversation-scope.ts';
import { DeferredWork } from './deferred-work.ts';
import { trailingUserText } from './item-text.ts';
import {
  finishedStepOf,
  isContainerSpan,
  llmInput,
  llmOutputText,
  type MappingOptions,
  stepEndOf,
  stepStartOf,
} from './span-mapping.ts';
import type { AgentConversationHandle, AgentStepHandle, AgentTracker } from './tracker-contract.ts';

type AnySpan = Span<SpanData>;
type Action = (conversation: AgentConversationHandle) => void;

/** Where a trace belongs, read from the async context when the SDK first tells us of it. */
interface TraceOrigin {
  target: ConversationBinding | AgentConversationHandle | undefined;
  nestedIn: string | undefined;
  openedAt: Date;
  /** The version of the first agent the run started (set inside the run, when the SDK starts it). */
  agentVersion?: string;
  /** The id its answer is tracked under (`withAnswerMessageId`), until that answer is tracked. */
  answerMessageId?: string | undefined;
}

export interface TracingOptions {
  /** Record model and tool inputs/outputs and message texts (default true). */
  includeData?: boolean;
  /** Record each model call's whole input, history included (default false: from the user's latest message on). */
  fullModelInput?: boolean;
  /** `source` of the conversations created (default `agents`). */
  source?: string;
  /** Chooses the conversation id of a trace; return undefined to fall back to the rules below. */
  conversationId?: (trace: Trace) => string | undefined;
  /** Called when mapping a span fails (the run is never affected). Default: counted only. */
  onError?: (error: unknown) => void;
  /** Most traces held open at once; the oldest is dropped beyond it (default 10,000). */
  maxOpenTraces?: number;
  /**
   * Map spans after the run's current turn of the event loop rather than inside it (default: when the
   * tracker has flush hooks, as `@sightline/tracker` has, so that its flush includes every span before
   * it; with a tracker without them, call the processor's `forceFlush()` before flushing the tracker).
   */
  deferred?: boolean;
  /**
   * A label put in front of every run's agent version (`'v2'` -> `v2:3f9a1c2b7d4e`), or a function
   * choosing it per agent (undefined: the fingerprint alone). See agent-version.ts.
   */
  version?: AgentVersionLabel;
}

/** Counters describing what the processor did. */
export interface TracingStats {
  traces: number;
  steps: number;
  messages: number;
  droppedTraces: number;
  errors: number;
}

/** A run's message scope: a top-level `task` span (or the trace when there is none). */
interface MessageScope {
  startedAt: Date;
  humanRecorded: boolean;
  finalText: string | undefined;
}

interface TraceState {
  traceId: string;
  conversation: AgentConversationHandle | undefined;
  customerId: string | undefined;
  queue: Action[];
  steps: Map<string, AgentStepHandle>;
  /** Leaf spans started but not ended: recorded as one finished step when they end. */
  openLeaves: Map<string, AnySpan>;
  spans: Map<string, { type: string; parentId: string | null }>;
  scopes: Map<string, MessageScope>;
  /**
   * The tracker step this run runs inside (e.g. a served workflow's run step): the run is part of that
   * step's work, so its steps nest under it and its input/output are not the conversation's messages.
   */
  nestedIn: string | undefined;
  /** Where the run was noted; its agentVersion is set once the SDK starts the run's first agent. */
  origin: TraceOrigin;
  /** The agent version the conversation handle was last given. */
  stampedVersion: string | undefined;
}

/** Maps the SDK's traces and spans to Sightline conversations, messages and steps. */
export class SightlineTracingProcessor implements TracingProcessor {
  readonly #tracker: AgentTracker;
  readonly #options: Required<Pick<TracingOptions, 'source' | 'maxOpenTraces'>> & TracingOptions;
  readonly #mapping: MappingOptions;
  readonly #traces = new Map<string, TraceState>();
  readonly #stats: TracingStats = { traces: 0, steps: 0, messages: 0, droppedTraces: 0, errors: 0 };
  readonly #origins = new Map<string, TraceOrigin>();
  readonly #work: DeferredWork | undefined;
  #unsubscribe: (() => void) | undefined;
  #unsubscribeAgents: (() => void) | undefined;
  #removeFlushHook: (() => void) | undefined;

  constructor(tracker: AgentTracker, options: TracingOptions = {}) {
    this.#tracker = tracker;
    this.#options = { source: 'agents', maxOpenTraces: 10_000, ...options };
    this.#mapping = {
      includeData: options.includeData ?? true,
      fullModelInput: options.fullModelInput ?? false,
    };
    const deferred = options.deferred ?? typeof tracker.addFlushHook === 'function';
    this.#work = deferred ? new DeferredWork((action) => this.#guard(action)) : undefined;
    this.#attach();
  }

  /**
   * Subscribes to session announcements and, when deferred, to the tracker's flushes. Done again on the
   * next trace after a shutdown: the SDK shuts processors down whenever the list is replaced
   * (`setTraceProcessors`), and one put back must work as before.
   */
  #attach(): void {
    if (this.#unsubscribe) return;
    if (this.#work) this.#removeFlushHook = this.#tracker.addFlushHook?.(() => this.#work?.drain());
    this.#unsubscribe = onSessionAnnounced((traceId, binding) =>
      this.#submit(() => this.#announced(traceId, binding)),
    );
    this.#unsubscribeAgents = onAgentStart((traceId, agent) =>
      this.#guard(() => this.#agentStarted(traceId, agent)),
    );
  }

  /** Notes, inside the run, the version of the first agent it starts (handoffs are part of it). */
  #agentStarted(traceId: string, agent: Parameters<typeof agentVersionOf>[0]): void {
    const origin = this.#origins.get(traceId);
    if (!origin || origin.agentVersion !== undefined) return;
    origin.agentVersion = agentVersionOf(agent, this.#options.version);
  }

  /** What the processor did so far (queued spans are mapped first). */
  stats(): TracingStats {
    this.#work?.drain();
    return { ...this.#stats };
  }

  async onTraceStart(trace: Trace): Promise<void> {
    this.#attach();
    this.#guard(() => this.#capture(trace.traceId, trace));
    this.#submit(() => this.#open(trace.traceId, trace));
  }

  async onTraceEnd(trace: Trace): Promise<void> {
    const endedAt = new Date();
    this.#submit(() => {
      this.#origins.delete(trace.traceId);
      const state = this.#traces.get(trace.traceId);
      if (!state) return;
      this.#closeScope(state, state.traceId, endedAt);
      if (!state.conversation) this.#bind(state, { conversationId: trace.groupId ?? trace.traceId });
      this.#traces.delete(trace.traceId);
    });
  }

  async onSpanStart(span: AnySpan): Promise<void> {
    this.#guard(() => this.#capture(span.traceId));
    this.#submit(() => {
      const state = this.#open(span.traceId);
      const data = span.spanData;
      state.spans.set(span.spanId, { type: data.type, parentId: span.parentId });
      if (data.type === 'task' && this.#scopeOf(state, span.parentId) !== undefined) {
        state.scopes.set(span.spanId, {
          startedAt: dateOf(span.startedAt),
          humanRecorded: false,
          finalText: undefined,
        });
      }
      // A leaf that turns out to have children (an agent used as a tool) becomes a live step.
      const parent = span.parentId === null ? undefined : state.openLeaves.get(span.parentId);
      if (parent) {
        state.openLeaves.delete(parent.spanId);
        this.#startStep(state, parent);
      }
      if (isContainerSpan(data)) this.#startStep(state, span);
      else state.openLeaves.set(span.spanId, span);
    });
  }

  async onSpanEnd(span: AnySpan): Promise<void> {
    this.#guard(() => this.#capture(span.traceId));
    this.#submit(() => {
      const state = this.#open(span.traceId);
      const data = span.spanData;
      if (data.type === 'generation' || data.type === 'response') this.#recordLlm(state, span);
      if (state.openLeaves.delete(span.spanId)) {
        const finished = finishedStepOf(span, this.#mapping);
        if (span.parentId === null) {
          // Explicit: mapped after the run, the async context no longer says what the root is under.
          const step = finished.kind === 'generation' ? finished.generation : finished.action;
          step.parentId = state.nestedIn ?? null;
        }
        this.#stats.steps += 1;
        this.#run(state, (conversation) => {
          if (finished.kind === 'generation') conversation.trackGeneration(finished.generation);
          else conversation.trackAction(finished.action);
        });
      } else {
        const end = stepEndOf(span, this.#mapping);
        const endedAt = dateOf(span.endedAt);
        this.#run(state, () => {
          state.steps.get(span.spanId)?.end({ ...end, endedAt });
          state.steps.delete(span.spanId);
        });
        if (data.type === 'task') this.#closeScope(state, span.spanId, endedAt, end.error?.message);
      }
    });
  }

  /** Flushes the tracker (the SDK calls this on shutdown); the tracker itself keeps running. */
  async shutdown(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#unsubscribeAgents?.();
    this.#unsubscribeAgents = undefined;
    await this.forceFlush();
    this.#removeFlushHook?.();
    this.#removeFlushHook = undefined;
  }

  async forceFlush(): Promise<void> {
    this.#work?.drain();
    try {
      // Bounded: the SDK awaits this on process exit, and an unreachable collector must not hold it.
      await this.#tracker.flush?.({ timeoutMs: 2000 });
    } catch (error) {
      this.#report(error);
    }
  }

  /**
   * Notes, inside the run, which conversation a trace belongs to: the trace's own id for it, the
   * `inConversation` scope, or the tracker's current conversation and step (the run nests under it).
   */
  #capture(traceId: string, trace?: Trace): void {
    if (this.#origins.has(traceId)) return;
    const explicit = (trace && this.#options.conversationId?.(trace)) || trace?.groupId || undefined;
    const bound = (explicit ? { conversationId: explicit } : undefined) ?? currentConversationBinding();
    const ambient = bound ? undefined : this.#tracker.currentConversation?.();
    const nestedIn = ambient ? this.#tracker.currentStep?.()?.id : undefined;
    const answerMessageId = claimAnswerMessageId();
    this.#origins.set(traceId, { target: bound ?? ambient, nestedIn, openedAt: new Date(), answerMessageId });
  }

  /** Runs a mapping action now, or queues it when deferred. */
  #submit(action: () => void): void {
    if (this.#work) this.#work.add(action);
    else this.#guard(action);
  }

  #open(traceId: string, trace?: Trace): TraceState {
    let state = this.#traces.get(traceId);
    if (state) return state;
    // The origin noted inside the run (kept until the trace ends, evicted or not); mapping after the
    // run must never read the async context it happens to run in, which is some other run's.
    if (!this.#work && !this.#origins.has(traceId)) this.#capture(traceId, trace);
    const origin = this.#origins.get(traceId) ?? {
      target: undefined,
      nestedIn: undefined,
      openedAt: new Date(),
    };
    const { openedAt } = origin;
    state = {
      traceId,
      conversation: undefined,
      customerId: undefined,
      queue: [],
      steps: new Map(),
      openLeaves: new Map(),
      spans: new Map(),
      scopes: new Map([[traceId, { startedAt: openedAt, humanRecorded: false, finalText: undefined }]]),
      nestedIn: origin.nestedIn,
      origin,
      stampedVersion: undefined,
    };
    this.#traces.set(traceId, state);
    this.#stats.traces += 1;
    this.#evict();
    if (origin.target) this.#bind(state, origin.target);
    return state;
  }

  #bind(state: TraceState, target: ConversationBinding | AgentConversationHandle): void {
    if ('trackHumanMessage' in target) {
      state.conversation = target;
    } else {
      const { agentVersion } = state.origin;
      state.customerId = target.customerId;
      state.stampedVersion = agentVersion;
      state.conversation = this.#tracker.conversation(target.conversationId, {
        source: this.#options.source,
        ...(target.customerId ? { customerId: target.customerId } : {}),
        ...(agentVersion ? { agentVersion } : {}),
      });
    }
    const queued = state.queue;
    state.queue = [];
    for (const action of queued) this.#run(state, action);
  }

  #announced(traceId: string, binding: ConversationBinding): void {
    const state = this.#traces.get(traceId);
    if (!state) return;
    if (!state.conversation) {
      this.#bind(state, binding);
    } else if (binding.customerId && !state.customerId && state.conversation.id === binding.conversationId) {
      state.customerId = binding.customerId;
      state.conversation.update({ customerId: binding.customerId });
    }
  }

  #run(state: TraceState, action: Action): void {
    if (!state.conversation) {
      state.queue.push(action);
      return;
    }
    const { agentVersion } = state.origin;
    if (agentVersion !== undefined && agentVersion !== state.stampedVersion) {
      state.stampedVersion = agentVersion;
      state.conversation.update({ agentVersion });
    }
    action(state.conversation);
  }

  #startStep(state: TraceState, span: AnySpan): void {
    const start = stepStartOf(span, this.#mapping);
    const startedAt = dateOf(span.startedAt);
    this.#stats.steps += 1;
    this.#run(state, (conversation) => {
      const step = conversation.startStep({
        ...start,
        stepId: span.spanId,
        parentId: span.parentId ?? state.nestedIn ?? null,
        startedAt,
        metadata: { ...start.metadata, traceId: state.traceId },
      });
      state.steps.set(span.spanId, step);
    });
  }

  #recordLlm(state: TraceState, span: AnySpan): void {
    const scopeId = this.#scopeOf(state, span.parentId);
    const scope = scopeId === undefined ? undefined : state.scopes.get(scopeId);
    if (!scope || state.nestedIn) return;
    if (!scope.humanRecorded) {
      scope.humanRecorded = true;
      const text = this.#mapping.includeData ? trailingUserText(llmInput(span.spanData)) : undefined;
      if (text !== undefined && text !== '') {
        this.#stats.messages += 1;
        const timestamp = scope.startedAt;
        this.#run(state, (c) =>
          c.trackHumanMessage(text, { timestamp, metadata: { traceId: state.traceId } }),
        );
      }
    }
    scope.finalText = this.#mapping.includeData ? llmOutputText(span.spanData) : undefined;
  }

  /**
   * Ends a message scope with the agent's final text. A run that failed after its model answered (an
   * output guardrail's tripwire, say) did not return that text as its result: the message carries the
   * run's error as `runError`, so a reader does not take it for an answer the person got.
   */
  #closeScope(state: TraceState, scopeId: string, endedAt: Date, runError?: string): void {
    const scope = state.scopes.get(scopeId);
    state.scopes.delete(scopeId);
    const text = scope?.finalText;
    if (text === undefined || text === '' || state.nestedIn) return;
    this.#stats.messages += 1;
    const metadata: Record<string, unknown> = { traceId: state.traceId };
    if (runError !== undefined) metadata.runError = runError;
    const { answerMessageId } = state.origin;
    state.origin.answerMessageId = undefined;
    const options = {
      timestamp: endedAt,
      metadata,
      ...(answerMessageId ? { messageId: answerMessageId } : {}),
    };
    this.#run(state, (c) => c.trackAgentMessage(text, options));
  }

  /**
   * The message scope a span belongs to: the nearest top-level task span above it, else the trace.
   * Undefined inside a tool (an agent used as a tool is not the human's conversation turn).
   */
  #scopeOf(state: TraceState, parentId: string | null): string | undefined {
    let current = parentId;
    let task: string | undefined;
    for (let depth = 0; current !== null && depth < 1000; depth += 1) {
      const span = state.spans.get(current);
      if (!span) break;
      if (span.type === 'function') return undefined;
      if (span.type === 'task' && task === undefined) task = current;
      current = span.parentId;
    }
    return task ?? state.traceId;
  }

  #evict(): void {
    // Origins outlive an evicted trace (its late spans still belong to its conversation), within bounds.
    for (const [oldest] of this.#origins) {
      if (this.#origins.size <= 2 * this.#options.maxOpenTraces) break;
      this.#origins.delete(oldest);
    }
    while (this.#traces.size > this.#options.maxOpenTraces) {
      const oldest = this.#traces.keys().next().value;
      if (oldest === undefined) return;
      this.#traces.delete(oldest);
      this.#stats.droppedTraces += 1;
    }
  }

  #guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error: unknown): void {
    this.#stats.errors += 1;
    try {
      this.#options.onError?.(error);
    } catch {
      // An error handler that throws must not reach the run either.
    }
  }
}

function dateOf(iso: string | null): Date {
  return iso ? new Date(iso) : new Date();
}
