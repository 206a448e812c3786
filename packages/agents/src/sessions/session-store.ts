/**
 * Where served agents keep conversations: a `SessionStore` gives the durable session of a (user,
 * conversation) and keeps runs paused on a tool approval (their serialized `RunState`), so a restart
 * between the question and the answer loses nothing, and another process can answer. `sqliteSessions`
 * and `postgresSessions` are the durable ones; `@sightline/serve`'s `memorySessions()` is for tests.
 */
import type { AgentInputItem, Session } from '@openai/agents-core';
import type { SessionTurn, TurnTarget } from './session-turn.ts';

/** One tool call waiting for a person's decision. */
export interface ApprovalRequest {
  /** The id to answer with (the tool call id). */
  approvalId: string;
  toolCallId: string;
  toolName: string;
  /** The agent that wants to call the tool. */
  agent: string;
  /** The tool's arguments, parsed from the model's JSON when possible. */
  arguments: unknown;
}

/** A run paused on tool approvals: everything needed to resume it, in another process if need be. */
export interface PendingRun {
  runId: string;
  /** The served agent name (the route's `:name`). */
  agent: string;
  conversationId: string;
  /** The user the run belongs to ('' when anonymous); only they may answer. */
  userId: string;
  customerId: string | undefined;
  /** `RunState.toString()` at the interruption. */
  state: string;
  /** The turn's items not yet stored in the session (stored with the rest of the turn, atomically). */
  stagedItems: AgentInputItem[];
  approvals: ApprovalRequest[];
  /** False when the run has no session (the OpenAI-compatible route: the caller sends the history). */
  persist?: boolean;
  /** The id of the next stream frame, so a resumed stream continues the numbering. */
  nextFrameId: number;
  createdAt: string;
}

/** Sessions and paused runs of served agents. Each method is atomic. */
export interface SessionStore {
  /** The session of conversation `conversationId` of user `userId` ('' = anonymous). */
  session(conversationId: string, userId: string): Session & TurnTarget;
  /** Stores a paused run (replacing one with the same id, and freeing its claim). */
  savePending(run: PendingRun): Promise<void>;
  /** A paused run by id, claimed or not. */
  getPending(runId: string): Promise<PendingRun | undefined>;
  /** The paused run of a conversation, if any. */
  pendingOf(conversationId: string, userId: string): Promise<PendingRun | undefined>;
  /**
   * Claims a paused run for resumption: returns it only to the first caller, in any process sharing the
   * store (a claim older than `staleMs` is considered abandoned by a crashed process and may be taken
   * again).
   */
  claimPending(runId: string, staleMs: number): Promise<PendingRun | undefined>;
  /** Gives a claim back (the resumption did not start). */
  releasePending(runId: string): Promise<void>;
  /** Forgets a paused run (it was resumed or cancelled). */
  deletePending(runId: string): Promise<void>;
  /**
   * Stores a run's turn of one of this store's sessions, resolving once it is stored (optional; the
   * default is `turn.commit()`). `sqliteSessions` commits the turns ending together in one transaction.
   */
  commitTurn?(turn: SessionTurn): Promise<void>;
}

/** Stores `turn` through the store's `commitTurn` when it has one, else with `turn.commit()`. */
export function commitStoreTurn(store: SessionStore, turn: SessionTurn): Promise<void> {
  return store.commitTurn ? store.commitTurn(turn) : turn.commit();
}
