/**
 * Where served agents keep conversations: a `SessionStore` gives the durable session of a (user,
 * conversation) and keeps runs paused on a tool approval (their serialized `RunState`), so a restart between
 * the question and the answer loses nothing. `sqliteSessions(file)` is the durable default;
 * `memorySessions()` is for tests and demos (lost on restart).
 */
import { type AgentInputItem, MemorySession, type Session } from '@openai/agents';
import type { SessionTurn, TurnTarget } from '@sightline/agents';

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
  /** Stores a paused run (replacing one with the same id). */
  savePending(run: PendingRun): Promise<void>;
  /** A paused run by id, claimed or not. */
  getPending(runId: string): Promise<PendingRun | undefined>;
  /** The paused run of a conversation, if any. */
  pendingOf(conversationId: string, userId: string): Promise<PendingRun | undefined>;
  /**
   * Claims a paused run for resumption: returns it only to the first caller (a claim older than
   * `staleMs` is considered abandoned by a crashed process and may be taken again).
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

/** Stores `turn` through the store's `commitTurn` when it has one. */
export function commitTurn(sessions: SessionStore, turn: SessionTurn): Promise<void> {
  return sessions.commitTurn ? sessions.commitTurn(turn) : turn.commit();
}

export interface MemorySessionsOptions {
  /** Most conversations kept; the least recently used is forgotten beyond it (default 10,000). */
  maxSessions?: number;
}

/** Sessions and paused runs in memory: for tests and demos; everything is lost on restart. */
export function memorySessions(options: MemorySessionsOptions = {}): SessionStore {
  const maxSessions = options.maxSessions ?? 10_000;
  const sessions = new Map<string, MemorySession>();
  const pending = new Map<string, { run: PendingRun; claimedAt: number | undefined }>();
  return {
    session(conversationId, userId) {
      const key = `${userId}\u0000${conversationId}`;
      let session = sessions.get(key);
      if (session) {
        sessions.delete(key);
      } else {
        session = new MemorySession({ sessionId: conversationId });
      }
      sessions.set(key, session);
      if (sessions.size > maxSessions) {
        const oldest = sessions.keys().next().value;
        if (oldest !== undefined) sessions.delete(oldest);
      }
      return session;
    },
    async savePending(run) {
      pending.set(run.runId, { run: structuredClone(run), claimedAt: undefined });
    },
    async getPending(runId) {
      const entry = pending.get(runId);
      return entry ? structuredClone(entry.run) : undefined;
    },
    async pendingOf(conversationId, userId) {
      for (const { run } of pending.values()) {
        if (run.conversationId === conversationId && run.userId === userId) return structuredClone(run);
      }
      return undefined;
    },
    async claimPending(runId, staleMs) {
      const entry = pending.get(runId);
      if (!entry) return undefined;
      const now = Date.now();
      if (entry.claimedAt !== undefined && now - entry.claimedAt < staleMs) return undefined;
      entry.claimedAt = now;
      return structuredClone(entry.run);
    },
    async releasePending(runId) {
      const entry = pending.get(runId);
      if (entry) entry.claimedAt = undefined;
    },
    async deletePending(runId) {
      pending.delete(runId);
    },
  };
}
