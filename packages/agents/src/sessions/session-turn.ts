/**
 * Atomic turns. Left alone, the SDK writes a run's items to its session when the run ends, and on an
 * abort it writes a checkpoint of the items so far (a user message and a tool call, say, without the
 * answer). A `SessionTurn` stages every write of a run and `commit()` stores them as ONE idempotent
 * history transaction, so a run that is aborted, throws or is killed mid-turn leaves the history exactly
 * as it was before the turn, and a finished turn is stored whole, once.
 */
import {
  type AgentInputItem,
  isRunContextAwareSession,
  type RunContext,
  type RunContextAwareSession,
  type Session,
  type SessionHistoryTransaction,
  type SessionHistoryTransactionArgs,
  type SessionHistoryTransactionAwareSession,
} from '@openai/agents-core';
import { newId } from '@sightline/core';
import { SessionConflictError, SessionTurnClosedError } from '../errors.ts';
import { inConversation } from '../tracing/conversation-scope.ts';
import {
  APPLY_CHANGE,
  type ChangeTarget,
  changeFromTransaction,
  checkLimit,
  checkOperationId,
  EncodedItem,
  encodeItems,
  legacyTurnFingerprint,
  suffixMatches,
  turnFingerprint,
} from './history-change.ts';

/** A session the turn can commit to: any SDK session with `applyHistoryTransaction` (ours, MemorySession). */
export type TurnTarget = SessionHistoryTransactionAwareSession &
  Partial<Pick<RunContextAwareSession, 'acceptsRunContext'>>;

export interface SessionTurnOptions {
  /** The commit's operation id (default: a new UUIDv7). Reuse it to make a retried commit a no-op. */
  operationId?: string;
}

/** Stages one run's session writes and commits them atomically; pass it as the run's `session`. */
export class SessionTurn implements RunContextAwareSession<unknown>, SessionHistoryTransactionAwareSession {
  readonly acceptsRunContext = true as const;
  readonly session: TurnTarget;
  readonly #operationId: string;
  #staged: EncodedItem[] = [];
  /** Committed items at the end of the history that this turn removes (oldest first). */
  #removed: EncodedItem[] = [];
  #applied = new Map<string, string | undefined>();
  #state: 'open' | 'committed' | 'discarded' = 'open';
  #context: RunContext<unknown> | undefined;
  #idGenerated: boolean;

  constructor(session: TurnTarget, options: SessionTurnOptions = {}) {
    this.session = session;
    this.#idGenerated = options.operationId === undefined;
    this.#operationId = this.#idGenerated ? newId() : checkOperationId(options.operationId);
  }

  /**
   * The commit's operation id. Once read from outside (to retry the commit elsewhere, say), it is
   * recorded with the commit like a given one, even where a made-up id needs no record.
   */
  get operationId(): string {
    this.#idGenerated = false;
    return this.#operationId;
  }

  /** `open`, `committed` or `discarded`. */
  get state(): 'open' | 'committed' | 'discarded' {
    return this.#state;
  }

  /** The items this turn will append when committed. */
  get stagedItems(): AgentInputItem[] {
    return this.#staged.map(fresh);
  }

  async getSessionId(): Promise<string> {
    return this.session.getSessionId();
  }

  /** The history as it will be after commit: committed items minus removed ones, plus staged ones. */
  async getItems(limit?: number, runContext?: RunContext<unknown>): Promise<AgentInputItem[]> {
    this.#remember(runContext);
    const checked = checkLimit(limit);
    if (checked === 0) return [];
    const fromBase = checked === undefined ? undefined : Math.max(0, checked - this.#staged.length);
    const base = fromBase === 0 ? [] : await this.#readBase(fromBase);
    if (this.#staged.length === 0) return base; // what the runner asks at the start of every turn
    const view = base.concat(this.#staged.map(fresh));
    return checked === undefined ? view : view.slice(-checked);
  }

  /** Stages items; nothing is written until `commit()`. */
  async addItems(items: AgentInputItem[], runContext?: RunContext<unknown>): Promise<void> {
    this.#assertOpen();
    this.#remember(runContext);
    this.#staged.push(...encodeItems(items, 'items'));
  }

  async popItem(runContext?: RunContext<unknown>): Promise<AgentInputItem | undefined> {
    this.#assertOpen();
    this.#remember(runContext);
    const staged = this.#staged.pop();
    if (staged) return fresh(staged);
    const removed = await this.#removeFromBase(1);
    return removed[0];
  }

  /** Stages removal of the whole history; commit fails if someone else changed it meanwhile. */
  async clearSession(runContext?: RunContext<unknown>): Promise<void> {
    this.#assertOpen();
    this.#remember(runContext);
    this.#staged = [];
    this.#removed = (await this.#read(undefined)).map(encodedOf);
  }

  /** Applies an SDK history transaction to the staged view (idempotent by operation id within the turn). */
  async applyHistoryTransaction(
    args: SessionHistoryTransactionArgs,
    runContext?: RunContext<unknown>,
  ): Promise<void> {
    this.#assertOpen();
    this.#remember(runContext);
    const change = changeFromTransaction(args);
    const operationId = change.operationId ?? '';
    if (this.#applied.has(operationId)) {
      if (this.#applied.get(operationId) === change.fingerprint) return;
      throw new SessionConflictError('operation id was already used for a different transaction', {
        sessionId: await this.getSessionId(),
        operationId,
      });
    }
    const count = change.expectedSuffix.length;
    if (count > 0) {
      const tail = await this.getItems(count);
      if (
        !suffixMatches(
          tail.map((item) => JSON.stringify(item)),
          change.expectedSuffix,
        )
      ) {
        throw new SessionConflictError('session history suffix no longer matches the transaction', {
          sessionId: await this.getSessionId(),
          operationId,
        });
      }
      const fromStaged = Math.min(count, this.#staged.length);
      this.#staged.splice(this.#staged.length - fromStaged, fromStaged);
      await this.#removeFromBase(count - fromStaged);
    }
    this.#staged.push(...change.append);
    this.#applied.set(operationId, change.fingerprint);
  }

  /**
   * Stores the turn as one history transaction (`append_items`, or `replace_suffix` when it removed
   * items). Idempotent: committing again, or committing another turn with the same operation id and
   * items, stores nothing more.
   */
  async commit(): Promise<void> {
    if (this.#state === 'committed') return;
    this.#assertOpen();
    if (this.#staged.length > 0 || this.#removed.length > 0) {
      const session = this.session as TurnTarget & Partial<ChangeTarget>;
      if (session[APPLY_CHANGE]) {
        // Our durable sessions take the staged JSON as is: validated once, when it was staged.
        const removed = this.#removed;
        const staged = this.#staged;
        let fingerprint: string | undefined;
        await session[APPLY_CHANGE](
          {
            operationId: this.#operationId,
            // Computed only if the store records the operation id.
            get fingerprint() {
              fingerprint ??= turnFingerprint(removed, staged);
              return fingerprint;
            },
            get legacyFingerprint() {
              return legacyTurnFingerprint(removed, staged);
            },
            idGenerated: this.#idGenerated,
            expectedSuffix: removed,
            append: staged,
          },
          this.#context,
        );
      } else {
        await this.#commitThroughTransaction();
      }
    }
    this.#state = 'committed';
  }

  /** Commits through the SDK's public transaction interface (MemorySession and other sessions). */
  async #commitThroughTransaction(): Promise<void> {
    const removed = this.#removed.map(fresh);
    const staged = this.#staged.map(fresh);
    const transaction: SessionHistoryTransaction =
      removed.length > 0
        ? { type: 'replace_suffix', expectedSuffix: removed, replacement: staged }
        : { type: 'append_items', items: staged };
    const args = { operationId: this.#operationId, transaction };
    if (this.#context && isRunContextAwareSession(this.session)) {
      await this.session.applyHistoryTransaction(args, this.#context);
    } else {
      await this.session.applyHistoryTransaction(args);
    }
  }

  /** Drops everything staged; the history stays as it was before the turn. */
  discard(): void {
    if (this.#state === 'open') this.#state = 'discarded';
    this.#staged = [];
    this.#removed = [];
  }

  /** Committed items, newest `limit` (all when undefined), without the ones this turn removes. */
  async #readBase(limit: number | undefined): Promise<AgentInputItem[]> {
    const removedCount = this.#removed.length;
    const items = await this.#read(limit === undefined ? undefined : limit + removedCount);
    return removedCount === 0 ? items : items.slice(0, items.length - removedCount);
  }

  async #removeFromBase(count: number): Promise<AgentInputItem[]> {
    if (count <= 0) return [];
    const base = await this.#readBase(count);
    this.#removed = [...base.map(encodedOf), ...this.#removed];
    return base;
  }

  async #read(limit: number | undefined): Promise<AgentInputItem[]> {
    const session = this.session as Session;
    if (this.#context && isRunContextAwareSession(session)) return session.getItems(limit, this.#context);
    return session.getItems(limit);
  }

  #remember(runContext: RunContext<unknown> | undefined): void {
    if (runContext) this.#context = runContext;
  }

  #assertOpen(): void {
    if (this.#state !== 'open') throw new SessionTurnClosedError(this.#state);
  }
}

/** Starts a turn on any transaction-aware session (SqliteSession, PostgresSession, the SDK's MemorySession). */
export function beginSessionTurn(session: TurnTarget, options: SessionTurnOptions = {}): SessionTurn {
  return new SessionTurn(session, options);
}

/**
 * Runs `fn` with an atomic turn of `session` and commits it when `fn` resolves (discards it when `fn`
 * throws). Runs started inside are traced under the session's conversation. For a streamed run, await
 * `result.completed` inside `fn`.
 */
export async function withSessionTurn<T>(
  session: TurnTarget,
  fn: (turn: SessionTurn) => Promise<T>,
  options: SessionTurnOptions = {},
): Promise<T> {
  const turn = beginSessionTurn(session, options);
  const conversationId = await session.getSessionId();
  const userId = (session as { userId?: unknown }).userId;
  const customerId = typeof userId === 'string' && userId !== '' ? userId : undefined;
  let result: T;
  try {
    result = await inConversation({ conversationId, customerId }, () => fn(turn));
  } catch (error) {
    turn.discard();
    throw error;
  }
  await turn.commit();
  return result;
}

/** A fresh copy of a staged item (callers may mutate what they get). */
function fresh(item: EncodedItem): AgentInputItem {
  return JSON.parse(item.json) as AgentInputItem;
}

/** An item read back from the session, as the JSON text it is stored as. */
function encodedOf(item: AgentInputItem): EncodedItem {
  return new EncodedItem(JSON.stringify(item), item);
}
