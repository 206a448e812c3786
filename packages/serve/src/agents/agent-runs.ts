/**
 * Runs of served agents, framework-free: start a run (JSON or streamed), pause it on tool approvals
 * (persisting its `RunState`), resume it with the person's decisions (in this process or after a
 * restart), cancel it. A run belongs to the server, not to the HTTP request: a client that goes away does
 * not stop it; it finishes and its turn is stored atomically in the conversation's session.
 */
import { type AgentInputItem, RunContext, RunState, type RunToolApprovalItem } from '@openai/agents-core';
import { beginSessionTurn, commitStoreTurn, NewConversationTurn, type SessionTurn } from '@sightline/agents';
import { newId } from '@sightline/core';
import type { Tracker } from '@sightline/tracker';
import { type CommandReply, type RunCommand, refusal } from '../bus/run-bus.ts';
import { ServeError } from '../errors.ts';
import { RemoteAgentRuns } from '../nodes/remote-agent-runs.ts';
import type { ServeNode } from '../nodes/serve-node.ts';
import type { ApprovalRequest, PendingRun, SessionStore } from '../sessions/session-store.ts';
import { newConversationId, trackedConversationId } from '../sessions/tracked-conversation.ts';
import type { AgentCatalog, AnyAgent } from './agent-catalog.ts';
import { LiveRun, type RunOutcome } from './live-run.ts';
import { LiveRuns } from './live-runs.ts';
import { executePhase, type PhaseInput } from './run-phase.ts';
import { approvalIdOf } from './ui-message-chunks.ts';

export interface AgentRunsOptions {
  catalog: AgentCatalog;
  sessions: SessionStore;
  /** This serving node: where runs are recorded, and how other nodes reach them. */
  node: ServeNode;
  /** Where runs are tracked (the user's conversation of the session id, customer = user, source = api). */
  tracker?: Tracker | undefined;
  /** Most model turns of a run (the SDK's default when undefined). */
  maxTurns?: number | undefined;
  /** How long a finished run's frames stay resumable, in ms (default 10 minutes). */
  keepFinishedMs?: number | undefined;
  /** Most runs working at once; more answer 503 (default 1,000). */
  maxConcurrentRuns?: number | undefined;
  /** Most frames kept per run (default 10,000). */
  maxFramesPerRun?: number | undefined;
}

/** Who starts or answers a run. */
export interface RunCaller {
  /** '' when anonymous. */
  userId: string;
  customerId: string | undefined;
  /** The run context (the getUser result, merged with the request's context). */
  context: unknown;
}

export interface StartRunRequest {
  agent: string;
  input: string | AgentInputItem[];
  /** The conversation (session id) to continue; a new one when omitted. */
  conversationId?: string | undefined;
  caller: RunCaller;
  /** Keep stream frames (the request asked for SSE). */
  stream: boolean;
  /** Store the turn in the conversation's session (false: the input carries the whole history). */
  persist?: boolean;
  /**
   * Regenerate: drop the conversation's latest turns (in the same atomic turn as the run) until it holds
   * this many user messages, so the input answers again instead of repeating.
   */
  keepUserTurns?: number | undefined;
}

/** One decision on one pending approval. */
export interface ApprovalDecision {
  approvalId: string;
  approved: boolean;
  /** Told to the model when rejected. */
  message?: string | undefined;
}

export interface ApproveRunRequest {
  agent: string;
  runId: string;
  caller: RunCaller;
  decisions: ApprovalDecision[];
  stream: boolean;
}

const CLAIM_STALE_MS = 10 * 60_000;

/** Starts, resumes and cancels agent runs. */
export class AgentRuns {
  readonly #options: AgentRunsOptions;
  readonly #live: LiveRuns;
  /** Runs of other nodes (and this node's runs as other nodes see them). */
  readonly remote: RemoteAgentRuns;

  constructor(options: AgentRunsOptions) {
    this.#options = options;
    this.#live = new LiveRuns({ keepFinishedMs: options.keepFinishedMs ?? 10 * 60_000 });
    this.remote = new RemoteAgentRuns(options.node);
  }

  /** Starts a run; resolves once it produced its first event (or ended), so early errors can be 4xx. */
  async start(request: StartRunRequest): Promise<LiveRun> {
    const agent = this.#options.catalog.get(request.agent);
    this.#checkCapacity();
    const persist = request.persist ?? true;
    const conversationId = request.conversationId ?? newConversationId(request.caller.userId);
    const { caller } = request;
    // A new conversation (no id given) cannot have a paused run: no lookup.
    if (persist && request.conversationId !== undefined) {
      const pending = await this.#options.sessions.pendingOf(conversationId, caller.userId);
      if (pending) {
        throw new ServeError(
          'conflict',
          `conversation "${conversationId}" has run ${pending.runId} waiting for tool approval; answer it at ` +
            `POST /agents/${pending.agent}/runs/${pending.runId}/approvals or cancel it first`,
        );
      }
    }
    const turn = persist
      ? this.#turnOf(conversationId, caller.userId, request.conversationId === undefined)
      : undefined;
    if (turn && request.keepUserTurns !== undefined) await keepUserTurns(turn, request.keepUserTurns);
    const run = new LiveRun({
      runId: newId(),
      agent: request.agent,
      conversationId,
      userId: caller.userId,
      customerId: caller.customerId,
      stream: request.stream,
      ...this.#frameLimit(),
    });
    this.#live.add(run);
    this.#launch(run, { agent, input: request.input, context: caller.context, turn, persist });
    await this.#started(run);
    return run;
  }

  /** Applies decisions to a paused run and resumes it from its persisted state. */
  async approve(request: ApproveRunRequest): Promise<LiveRun> {
    const agent = this.#options.catalog.get(request.agent);
    const { sessions } = this.#options;
    const live = this.#live.get(request.runId, request.caller.userId);
    if (live?.running) {
      throw new ServeError('conflict', `run ${request.runId} is running, not waiting for approval`);
    }
    const pending = await sessions.getPending(request.runId);
    if (!pending || pending.userId !== request.caller.userId || pending.agent !== request.agent) {
      if (live)
        throw new ServeError('conflict', `run ${request.runId} is ${live.status}, not waiting for approval`);
      throw new ServeError(
        'not_found',
        `no run ${request.runId} of agent "${request.agent}" is waiting for approval`,
      );
    }
    checkDecisions(pending, request.decisions);
    this.#checkCapacity();
    const claimed = await sessions.claimPending(request.runId, CLAIM_STALE_MS);
    if (!claimed) throw new ServeError('conflict', `run ${request.runId} is already being answered`);
    let state: RunState<unknown, AnyAgent>;
    try {
      state = await RunState.fromStringWithContext(
        agent,
        claimed.state,
        new RunContext(request.caller.context),
        {
          contextStrategy: 'replace',
        },
      );
      applyDecisions(state, request.decisions);
    } catch (error) {
      await sessions.releasePending(request.runId);
      throw new ServeError(
        'internal',
        `run ${request.runId} could not be restored: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const run = this.#resumable(live, claimed, request.stream);
    const persist = claimed.persist !== false;
    const turn = persist
      ? beginSessionTurn(sessions.session(claimed.conversationId, claimed.userId))
      : undefined;
    if (turn) await turn.addItems(claimed.stagedItems);
    const decisions = request.decisions.map(({ approvalId, approved }) => ({ approvalId, approved }));
    this.#launch(run, {
      agent,
      input: state,
      context: request.caller.context,
      turn,
      persist,
      decisions,
      pending: claimed,
    });
    await this.#started(run);
    return run;
  }

  /** Stops a running run (what it produced is stored) or drops a paused one; answers its outcome. */
  async cancel(agentName: string, runId: string, userId: string): Promise<RunOutcome> {
    this.#options.catalog.get(agentName);
    const live = this.#live.get(runId, userId);
    if (live && live.agent === agentName && live.running) {
      live.controller.abort(new ServeError('conflict', 'cancelled'));
      return live.settled;
    }
    const pending = await this.#options.sessions.getPending(runId);
    if (pending && pending.userId === userId && pending.agent === agentName) {
      return this.#cancelPending(pending, live);
    }
    if (live && live.agent === agentName && live.outcome) {
      throw new ServeError('conflict', `run ${runId} already ended (${live.status})`);
    }
    return this.#cancelElsewhere(agentName, runId, userId);
  }

  /** Cancels a run of another node, through the node running it. */
  async #cancelElsewhere(agentName: string, runId: string, userId: string): Promise<RunOutcome> {
    const recorded = await this.remote.find(agentName, runId, userId);
    if (!recorded || recorded.runId !== runId) {
      throw new ServeError('not_found', `no run ${runId} of agent "${agentName}"`);
    }
    const outcome = recorded.status === 'running' ? await this.remote.cancel(recorded) : undefined;
    if (outcome) return outcome;
    const now = (await this.remote.find(agentName, runId, userId)) ?? recorded;
    throw new ServeError(
      'conflict',
      `run ${runId} already ended (${now.status === 'running' ? 'interrupted' : now.status})`,
    );
  }

  /** A run in memory by run id or, for `useChat` reconnects, by conversation id (its latest run). */
  find(agentName: string, idOrConversation: string, userId: string): LiveRun | undefined {
    const run = this.#live.get(idOrConversation, userId) ?? this.#live.latestOf(idOrConversation, userId);
    return run && run.agent === agentName ? run : undefined;
  }

  /** The run of a conversation waiting for approval, in the session store (any node, any restart). */
  async pendingOf(
    agentName: string,
    conversationId: string,
    userId: string,
  ): Promise<PendingRun | undefined> {
    const pending = await this.#options.sessions.pendingOf(conversationId, userId);
    return pending?.agent === agentName ? pending : undefined;
  }

  /** How many runs are working right now (what `maxConcurrentRuns` limits). */
  get runningCount(): number {
    return this.#live.runningCount;
  }

  /** Aborts every running run and waits for them to store what they produced. */
  async close(): Promise<void> {
    await this.#live.abortAll();
  }

  /**
   * The run produced its first event (or ended). A streamed run's client gets its id now and may take it
   * to another node (or this node may die next): with other nodes, its record is stored first (that
   * overlaps the model's first event). A JSON run's client learns its id with the outcome, so its record
   * is not waited for: it goes with the node's next batch (another node asked for a run id this fresh
   * waits for it a moment, ServeNode.getRun).
   */
  async #started(run: LiveRun): Promise<void> {
    if (this.#options.node.bus && run.frames) await Promise.all([run.started, this.#options.node.recorded()]);
    else await run.started;
  }

  #launch(run: LiveRun, input: PhaseInput): void {
    this.remote.attach(run, (command) => this.#onCommand(run, command));
    void executePhase(run, input, {
      sessions: this.#options.sessions,
      tracker: this.#options.tracker,
      maxTurns: this.#options.maxTurns,
    }).finally(() => {
      this.#live.settledOne(run);
      this.remote.detach(run);
    });
  }

  /** Another node asks to cancel this node's run. */
  async #onCommand(run: LiveRun, command: RunCommand): Promise<CommandReply> {
    if (command.type !== 'cancel' || command.userId !== run.userId || command.name !== run.agent) {
      return refusal(
        new ServeError(
          'not_found',
          `no run ${run.runId} of agent "${command.type === 'cancel' ? command.name : ''}"`,
        ),
      );
    }
    if (!run.running)
      return refusal(new ServeError('conflict', `run ${run.runId} already ended (${run.status})`));
    run.controller.abort(new ServeError('conflict', 'cancelled'));
    return { ok: true, value: await run.settled };
  }

  /** The in-memory run to resume into: the paused one, or a new one continuing the frame numbering. */
  #resumable(live: LiveRun | undefined, pending: PendingRun, stream: boolean): LiveRun {
    if (live) {
      live.resume();
      if (stream) live.useFrames(pending.nextFrameId);
      this.#live.add(live);
      return live;
    }
    const run = new LiveRun({
      runId: pending.runId,
      agent: pending.agent,
      conversationId: pending.conversationId,
      userId: pending.userId,
      customerId: pending.customerId,
      stream,
      firstFrameId: pending.nextFrameId,
      ...this.#frameLimit(),
    });
    this.#live.add(run);
    return run;
  }

  async #cancelPending(pending: PendingRun, live: LiveRun | undefined): Promise<RunOutcome> {
    const { sessions } = this.#options;
    const claimed = await sessions.claimPending(pending.runId, CLAIM_STALE_MS);
    if (!claimed) throw new ServeError('conflict', `run ${pending.runId} is already being answered`);
    if (claimed.persist !== false) {
      const turn = beginSessionTurn(sessions.session(claimed.conversationId, claimed.userId));
      await turn.addItems([...claimed.stagedItems, ...claimed.approvals.map(cancelledResult)]);
      await commitStoreTurn(sessions, turn);
    }
    await sessions.deletePending(claimed.runId);
    const outcome: RunOutcome = {
      runId: claimed.runId,
      conversationId: claimed.conversationId,
      trackedConversationId: trackedConversationId(claimed.userId, claimed.conversationId),
      agent: claimed.agent,
      status: 'cancelled',
    };
    if (live) {
      live.resume();
      live.frames?.reopen();
      live.push({ type: 'abort', reason: 'cancelled while waiting for approval' });
      live.finish(outcome);
      this.#live.settledOne(live);
      this.remote.record(live);
    } else {
      this.remote.recordOutcome(outcome, claimed.userId, claimed.createdAt);
    }
    return outcome;
  }

  /** The turn a run writes to; a conversation created for this run is known to be empty. */
  #turnOf(conversationId: string, userId: string, isNew: boolean): SessionTurn {
    const session = this.#options.sessions.session(conversationId, userId);
    return isNew ? new NewConversationTurn(session) : beginSessionTurn(session);
  }

  #checkCapacity(): void {
    const limit = this.#options.maxConcurrentRuns ?? 1000;
    if (this.#live.runningCount >= limit) {
      throw new ServeError('overloaded', `too many runs in progress (at most ${limit}); retry shortly`);
    }
  }

  #frameLimit(): { maxFrames?: number } {
    return this.#options.maxFramesPerRun ? { maxFrames: this.#options.maxFramesPerRun } : {};
  }
}

/** Stages the removal of the latest items until `keep` user messages remain (nothing when it has fewer). */
async function keepUserTurns(turn: SessionTurn, keep: number): Promise<void> {
  const isUser = (item: AgentInputItem) => 'role' in item && item.role === 'user';
  let users = (await turn.getItems()).filter(isUser).length;
  while (users > Math.max(0, keep)) {
    const item = await turn.popItem();
    if (!item) return;
    if (isUser(item)) users -= 1;
  }
}

/** Every decision names a pending approval, once. */
function checkDecisions(pending: PendingRun, decisions: ApprovalDecision[]): void {
  const known = new Set(pending.approvals.map((approval) => approval.approvalId));
  const seen = new Set<string>();
  decisions.forEach((decision, index) => {
    if (!known.has(decision.approvalId)) {
      throw new ServeError('invalid_request', `unknown approval id "${decision.approvalId}"`, {
        issues: [
          {
            path: `approvals.${index}.approvalId`,
            message: `is not waiting in run ${pending.runId} (waiting: ${[...known].join(', ')})`,
          },
        ],
      });
    }
    if (seen.has(decision.approvalId)) {
      throw new ServeError('invalid_request', `approval id "${decision.approvalId}" is answered twice`, {
        issues: [{ path: `approvals.${index}.approvalId`, message: 'is answered twice' }],
      });
    }
    seen.add(decision.approvalId);
  });
}

function applyDecisions(state: RunState<unknown, AnyAgent>, decisions: ApprovalDecision[]): void {
  const byId = new Map<string, RunToolApprovalItem>();
  for (const item of state.getInterruptions()) byId.set(approvalIdOf(item), item);
  for (const decision of decisions) {
    const item = byId.get(decision.approvalId);
    if (!item) throw new Error(`approval ${decision.approvalId} is not in the run state`);
    if (decision.approved) state.approve(item);
    else state.reject(item, decision.message ? { message: decision.message } : {});
  }
}

/** The tool result stored for a call whose run was cancelled before anyone approved it. */
function cancelledResult(approval: ApprovalRequest): AgentInputItem {
  return {
    type: 'function_call_result',
    name: approval.toolName,
    callId: approval.toolCallId,
    status: 'completed',
    output: { type: 'text', text: 'Not run: the run was cancelled before this tool call was approved.' },
  } as AgentInputItem;
}
