import type {
  Attachment,
  FeedbackSource,
  ScoreDataType,
  ScoreSource,
  ScoreValue,
  Sentiment,
  Usage,
} from '@sightline/core';

/** What a conversation is: who, where from, which environment. Rides on every event of it. */
export interface ConversationOptions {
  customerId?: string;
  name?: string;
  source?: string;
  device?: string;
  language?: string;
  environment?: string;
  /**
   * Which version of the agent produced the events (`@sightline/agents` stamps `label:fingerprint`); rides on
   * every later event like customerId, the conversation keeps the latest. An id: at most 256 characters.
   */
  agentVersion?: string;
  metadata?: Record<string, unknown>;
  tags?: string[];
}

/** Options of a human or agent message. */
export interface MessageOptions {
  metadata?: Record<string, unknown>;
  /** When the message happened (default: now). */
  timestamp?: Date;
  /** Your own id for the message (default: the event id, which is returned). */
  messageId?: string;
  attachments?: Attachment[];
}

/** A finished action or tool call (the seeds' `track_action`). */
export interface ActionOptions {
  name: string;
  /** Step type: `action` (default), `tool`, or a custom lowercase name. */
  type?: 'action' | 'tool' | (string & {});
  startedAt?: Date;
  endedAt?: Date;
  durationMs?: number;
  /** Tools the action used; an object such as the seeds' `{ tool: 'calculator' }` keeps its values. */
  toolsUsed?: string[] | Record<string, string> | string;
  input?: unknown;
  response?: unknown;
  error?: unknown;
  metadata?: Record<string, unknown>;
  /** Parent step id; default (undefined): the current step of the async context, if any; null: a root step. */
  parentId?: string | null;
}

/** A finished model call: an `llm` step with token usage. */
export interface GenerationOptions {
  model: string;
  provider?: string;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  costUsd?: number;
  timeToFirstTokenMs?: number;
  durationMs?: number;
  startedAt?: Date;
  endedAt?: Date;
  /** Step name (default: the model). */
  name?: string;
  input?: unknown;
  output?: unknown;
  error?: unknown;
  metadata?: Record<string, unknown>;
  toolsUsed?: string[];
  /** As for actions: undefined = the current step, null = a root step. */
  parentId?: string | null;
}

/** Feedback on a conversation or one of its messages: a sentiment, a named score, or both. */
export interface FeedbackOptions {
  sentiment?: Sentiment;
  score?: { name: string; value: number };
  comment?: string;
  messageId?: string;
  source?: FeedbackSource;
  metadata?: Record<string, unknown>;
  /** Your own id for the feedback (default: the event id, which is returned). */
  feedbackId?: string;
}

/**
 * A score on a conversation, or on one of its messages (`messageId`) or steps (`stepId`): a name and a
 * numeric, boolean or categorical value, from a person, a program or a model judge.
 */
export interface ScoreOptions {
  /** What is scored, e.g. `helpfulness`, `thumbs`, `resolved` (1..200 printable characters). */
  name: string;
  /** A number (numeric), true/false (boolean) or a label (categorical, 1..200 printable characters). */
  value: ScoreValue;
  /** Follows from the value when left out; when given it must match it. */
  dataType?: ScoreDataType;
  /** Who gave it: `code` (default), `human` or `model`. */
  source?: ScoreSource;
  /** Why (at most 10,000 characters). */
  comment?: string;
  /** Scores this message of the conversation (not with `stepId`). */
  messageId?: string;
  /** Scores this step of the conversation (not with `messageId`). */
  stepId?: string;
  /** Your own id for the score; the same id again replaces it (default: the event id, which is returned). */
  scoreId?: string;
  /** A model judge's own run (a conversation id). */
  judgeRunId?: string;
  metadata?: Record<string, unknown>;
  /** When it was given (default: now); of two scores with one id, the later stands. */
  timestamp?: Date;
}

/** A step to time: `type` is `run`, `tool`, `llm`, `retrieval`... or a custom lowercase name. */
export interface StepOptions {
  type: string;
  name: string;
  input?: unknown;
  metadata?: Record<string, unknown>;
  /** undefined: the current step of the async context is the parent; null: a root step; a string: that step. */
  parentId?: string | null;
}

/** What a step ended with. */
export interface StepEndResult {
  output?: unknown;
  error?: unknown;
  usage?: Usage;
  endedAt?: Date;
  metadata?: Record<string, unknown>;
  toolsUsed?: string[];
}

/** A running step: `end()` records its outcome once (later calls are ignored). */
export interface StepHandle {
  readonly id: string;
  readonly conversationId: string;
  readonly type: string;
  readonly name: string;
  /** True once `end()` was called. */
  readonly ended: boolean;
  end(result?: StepEndResult): void;
}

/** One conversation (thread): every tracking call appends an event to the tracker's buffer and returns at once. */
export interface ConversationHandle {
  readonly id: string;
  /** Sends a `conversation` event (name, device, tags, end time...); customer/source/environment/agentVersion apply to later events. */
  update(context: ConversationOptions & { endedAt?: Date }): void;
  /** Records what the human said; returns the message id. */
  trackHumanMessage(content: string, options?: MessageOptions): string;
  /** Records the agent's answer; returns the message id. */
  trackAgentMessage(content: string, options?: MessageOptions): string;
  /** Records a finished action or tool call; returns its step id. */
  trackAction(action: ActionOptions): string;
  /** Records a finished model call with its token usage; returns its step id. */
  trackGeneration(generation: GenerationOptions): string;
  /** Records feedback (a sentiment and/or a named score); returns the feedback id. */
  trackFeedback(feedback: FeedbackOptions): string;
  /** Records a score (bad input is reported to `onError` and dropped); returns the score id. */
  score(score: ScoreOptions): string;
  /** Times `fn` as a step (input, output or error); steps started inside nest under it. */
  step<T>(options: StepOptions, fn: (step: StepHandle) => T | Promise<T>): Promise<T>;
  /** Starts a step you end yourself (for tracing processors and callbacks). */
  startStep(options: StepOptions & { stepId?: string; startedAt?: Date }): StepHandle;
}
