/**
 * Where served agents keep conversations: a `SessionStore` (defined in @sightline/agents) gives the session
 * of a (user, conversation) and keeps runs paused on a tool approval. The durable stores,
 * `sqliteSessions(file)` and `postgresSessions(url)`, are @sightline/agents'; `memorySessions()` is for
 * tests and demos (lost on restart).
 */
import { MemorySession } from '@openai/agents-core';
import type { PendingRun, SessionStore } from '@sightline/agents';

// The types live in @sightline/agents (next to the durable stores); re-exported so imports keep working.
export type { ApprovalRequest, PendingRun, SessionStore } from '@sightline/agents';

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
