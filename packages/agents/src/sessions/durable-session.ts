/**
 * The part of SqliteSession and PostgresSession that does not depend on the database: the SDK's
 * `Session`, run-context and history-transaction interfaces on top of a `HistoryStore` whose every
 * write is one database transaction.
 */
import {
  type AgentInputItem,
  applySessionHistoryMutations,
  type RunContext,
  type RunContextAwareSession,
  type SessionHistoryRewriteArgs,
  type SessionHistoryRewriteAwareSession,
  type SessionHistoryTransactionArgs,
  type SessionHistoryTransactionAwareSession,
} from '@openai/agents-core';
import { SessionInputError } from '../errors.ts';
import { announceSession } from '../tracing/conversation-scope.ts';
import {
  APPLY_CHANGE,
  type ChangeTarget,
  changeFromTransaction,
  checkLimit,
  checkSessionId,
  encodeItems,
  type HistoryChange,
} from './history-change.ts';
import { beginSessionTurn, type SessionTurn, type SessionTurnOptions } from './session-turn.ts';

/** Identifies one history: sessions are partitioned by user, `''` meaning "no user". */
export interface SessionKey {
  userId: string;
  sessionId: string;
}

/** One row of a user's session listing. */
export interface SessionSummary {
  sessionId: string;
  /** Undefined for sessions created without a user. */
  userId: string | undefined;
  itemCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ListSessionsOptions {
  /** Most sessions to return (default 100, at most 1000), most recently updated first. */
  limit?: number;
}

/** What a database must provide; each method is atomic (one transaction). */
export interface HistoryStore {
  read(key: SessionKey, limit: number | undefined): Promise<AgentInputItem[]>;
  /** Applies the change or throws SessionConflictError without changing anything. */
  apply(key: SessionKey, change: HistoryChange): Promise<void>;
  pop(key: SessionKey): Promise<AgentInputItem | undefined>;
  clear(key: SessionKey): Promise<void>;
  list(userId: string, options: { limit: number }): Promise<SessionSummary[]>;
}

/** Where the user a session belongs to comes from: fixed, or read from the run's context. */
export type SessionUser<TContext> = string | ((context: TContext) => string | undefined);

export interface DurableSessionOptions<TContext = unknown> {
  /**
   * The user this session belongs to. Sessions of different users never see each other's items, even
   * with the same session id. A function reads it from the run context (`run(agent, input, { context })`).
   */
  userId?: SessionUser<TContext>;
}

/** A session whose history lives in a database; see SqliteSession and PostgresSession. */
export abstract class DurableSession<TContext = unknown>
  implements
    RunContextAwareSession<TContext>,
    SessionHistoryTransactionAwareSession,
    SessionHistoryRewriteAwareSession,
    ChangeTarget
{
  readonly acceptsRunContext = true as const;
  readonly #sessionId: string;
  readonly #store: HistoryStore;
  readonly #user: SessionUser<TContext> | undefined;
  #resolvedUser: string | undefined;

  protected constructor(sessionId: string, store: HistoryStore, options: DurableSessionOptions<TContext>) {
    this.#sessionId = checkSessionId(sessionId);
    this.#store = store;
    this.#user = options.userId;
    if (typeof options.userId === 'string') this.#resolvedUser = checkSessionId(options.userId, 'userId');
  }

  /** The session id; it is also the Sightline conversation id of runs using this session. */
  async getSessionId(): Promise<string> {
    return this.#sessionId;
  }

  /** The user this session belongs to, once known (fixed, or read from the first run context). */
  get userId(): string | undefined {
    return this.#resolvedUser;
  }

  /** The newest `limit` items (all when undefined), oldest first. */
  async getItems(limit?: number, runContext?: RunContext<TContext>): Promise<AgentInputItem[]> {
    const checked = checkLimit(limit);
    const key = this.#key(runContext);
    if (checked === 0) return [];
    return this.#store.read(key, checked);
  }

  /** Appends items in one transaction: all of them or none. */
  async addItems(items: AgentInputItem[], runContext?: RunContext<TContext>): Promise<void> {
    const append = encodeItems(items, 'items');
    const key = this.#key(runContext);
    if (append.length === 0) return;
    await this.#store.apply(key, { expectedSuffix: [], append });
  }

  /** Removes and returns the newest item. */
  async popItem(runContext?: RunContext<TContext>): Promise<AgentInputItem | undefined> {
    return this.#store.pop(this.#key(runContext));
  }

  /** Deletes every item and every recorded operation id of this session. */
  async clearSession(runContext?: RunContext<TContext>): Promise<void> {
    await this.#store.clear(this.#key(runContext));
  }

  /**
   * The SDK's atomic, idempotent history transaction (`append_items` / `replace_suffix`): the operation
   * id is stored in the same database transaction as the change, so a retry never applies twice, and
   * an id reused for a different change, or a suffix that no longer matches, throws SessionConflictError.
   */
  async applyHistoryTransaction(
    args: SessionHistoryTransactionArgs,
    runContext?: RunContext<TContext>,
  ): Promise<void> {
    const change = changeFromTransaction(args);
    await this.#store.apply(this.#key(runContext), change);
  }

  /** Internal: applies a change a SessionTurn validated and encoded when it staged it. */
  async [APPLY_CHANGE](change: HistoryChange, runContext?: unknown): Promise<void> {
    await this.#store.apply(this.#key(runContext as RunContext<TContext> | undefined), change);
  }

  /** The SDK's history rewrite (replace a function call), applied atomically against the read history. */
  async applyHistoryMutations(args: SessionHistoryRewriteArgs): Promise<void> {
    if (args.mutations.length === 0) return;
    const key = this.#key(undefined);
    const current = await this.#store.read(key, undefined);
    const next = applySessionHistoryMutations(current, args.mutations);
    await this.#store.apply(key, {
      expectedSuffix: encodeItems(current, 'history'),
      append: encodeItems(next, 'mutations'),
    });
  }

  /**
   * Starts an atomic turn: the runner's writes are staged and `commit()` stores them in one
   * transaction, so a run that dies mid-turn leaves the history as it was before the turn.
   */
  beginTurn(options: SessionTurnOptions = {}): SessionTurn {
    return beginSessionTurn(this, options);
  }

  /** The sessions of a user (default: this session's user), most recently updated first. */
  async sessionsForUser(userId?: string, options: ListSessionsOptions = {}): Promise<SessionSummary[]> {
    const user = userId === undefined ? (this.#resolvedUser ?? '') : checkSessionId(userId, 'userId');
    return this.#store.list(user, { limit: checkListLimit(options.limit) });
  }

  #key(runContext: RunContext<TContext> | undefined): SessionKey {
    const userId = this.#resolveUser(runContext);
    announceSession({ conversationId: this.#sessionId, customerId: userId || undefined });
    return { userId, sessionId: this.#sessionId };
  }

  #resolveUser(runContext: RunContext<TContext> | undefined): string {
    if (typeof this.#user !== 'function') return this.#resolvedUser ?? '';
    const fromContext = runContext ? this.#user(runContext.context) : undefined;
    if (fromContext === undefined) {
      if (this.#resolvedUser !== undefined) return this.#resolvedUser;
      throw new SessionInputError([
        { path: 'userId', message: 'is read from the run context, but this call has no run context yet' },
      ]);
    }
    const checked = checkSessionId(fromContext, 'userId');
    if (this.#resolvedUser !== undefined && this.#resolvedUser !== checked) {
      throw new SessionInputError([
        { path: 'userId', message: 'run context names a different user than this session is bound to' },
      ]);
    }
    this.#resolvedUser = checked;
    return checked;
  }
}

/** Validates a listing limit (default 100, 1..1000). */
export function checkListLimit(limit: unknown): number {
  if (limit === undefined) return 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new SessionInputError([{ path: 'limit', message: 'must be an integer from 1 to 1000' }]);
  }
  return limit;
}
