/**
 * The session turn of a conversation the server has just created (a run without `conversationId`): its
 * id was generated for this run, so nothing is stored under it and the runner's opening read of the
 * history is answered (empty) without a database query. Once the turn stages or removes anything, every
 * read goes to the session as usual.
 */
import type { AgentInputItem, RunContext, SessionHistoryTransactionArgs } from '@openai/agents-core';
import { SessionTurn } from './session-turn.ts';

/** A SessionTurn on a new, empty conversation. */
export class NewConversationTurn extends SessionTurn {
  #untouched = true;

  override async getItems(limit?: number, runContext?: RunContext<unknown>): Promise<AgentInputItem[]> {
    if (this.#untouched && this.state === 'open') return [];
    return super.getItems(limit, runContext);
  }

  override addItems(items: AgentInputItem[], runContext?: RunContext<unknown>): Promise<void> {
    this.#untouched = false;
    return super.addItems(items, runContext);
  }

  override popItem(runContext?: RunContext<unknown>): Promise<AgentInputItem | undefined> {
    this.#untouched = false;
    return super.popItem(runContext);
  }

  override clearSession(runContext?: RunContext<unknown>): Promise<void> {
    this.#untouched = false;
    return super.clearSession(runContext);
  }

  override applyHistoryTransaction(
    args: SessionHistoryTransactionArgs,
    runContext?: RunContext<unknown>,
  ): Promise<void> {
    this.#untouched = false;
    return super.applyHistoryTransaction(args, runContext);
  }
}
