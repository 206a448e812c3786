/**
 * One phase of a served run: from its start (or its resumption after approvals) until it completes, pauses
 * on tool approvals, is cancelled or fails. The SDK runs it in an atomic session turn inside the tracked
 * conversation; stream events become UI message chunks; the outcome decides what is stored:
 * completed -> the turn is committed; paused -> the serialized RunState and the turn's items are saved
 * as a pending run (nothing half-written in the session); cancelled -> what was produced is committed;
 * failed -> the turn is discarded (the history is as before the run).
 */
import {
  type AgentInputItem,
  type RunResult,
  type RunState,
  run as runAgent,
  type StreamedRunResult,
} from '@openai/agents-core';
import { commitStoreTurn, type SessionTurn, withAnswerMessageId } from '@sightline/agents';
import { newId, type SightlineError } from '@sightline/core';
import type { Tracker } from '@sightline/tracker';
import type { UIMessageChunk } from 'ai';
import { runFailure } from '../errors.ts';
import type { ApprovalRequest, PendingRun, SessionStore } from '../sessions/session-store.ts';
import type { AnyAgent } from './agent-catalog.ts';
import type { LiveRun, RunOutcome, RunUsage } from './live-run.ts';
import { approvalIdOf, parseArguments, UiMessageChunkMapper } from './ui-message-chunks.ts';

/** What a phase runs. */
export interface PhaseInput {
  agent: AnyAgent;
  /** The user's input (a new run) or the restored state (a resumption). */
  input: string | AgentInputItem[] | RunState<unknown, AnyAgent>;
  context: unknown;
  /** The session turn the run writes to; undefined when the run is not persisted. */
  turn: SessionTurn | undefined;
  persist: boolean;
  /** Decisions applied before this phase (streamed as tool-approval-response chunks). */
  decisions?: Array<{ approvalId: string; approved: boolean }>;
  /** The paused run this phase resumes. */
  pending?: PendingRun | undefined;
}

export interface PhaseServices {
  sessions: SessionStore;
  tracker: Tracker | undefined;
  maxTurns: number | undefined;
}

type AnyResult = RunResult<unknown, AnyAgent> | StreamedRunResult<unknown, AnyAgent>;

/** Runs one phase to its outcome; never throws (the outcome says how it ended). */
export async function executePhase(run: LiveRun, input: PhaseInput, services: PhaseServices): Promise<void> {
  const { tracker } = services;
  // What a history read shows of the run while its turn is not stored (conversation-history.ts).
  run.input = typeof input.input === 'string' || Array.isArray(input.input) ? input.input : undefined;
  run.trackedMessageId = undefined;
  const work = () => runPhase(run, input, services);
  if (!tracker) return work();
  // The user's own conversation: two users choosing one conversation id never share it (nor its customer).
  const conversation = tracker.conversation(run.trackedConversationId, {
    source: 'api',
    ...(run.customerId ? { customerId: run.customerId } : {}),
  });
  // The phase's answer is tracked under an id chosen here, which the UI stream's `finish` chunk tells the
  // chat (message metadata `trackedMessageId`), so a thumb given in the chat scores that tracked message.
  const answerId = newId();
  run.trackedMessageId = answerId;
  return tracker.runInConversation(conversation, () => withAnswerMessageId(answerId, work));
}

async function runPhase(run: LiveRun, input: PhaseInput, services: PhaseServices): Promise<void> {
  const denied = new Set((input.decisions ?? []).filter((d) => !d.approved).map((d) => d.approvalId));
  const mapper = new UiMessageChunkMapper(run.runId, denied);
  if (run.frames) {
    run.beginFrames();
    run.push({
      type: 'start',
      messageId: run.runId,
      messageMetadata: {
        runId: run.runId,
        conversationId: run.conversationId,
        trackedConversationId: run.trackedConversationId,
        agent: run.agent,
      },
    });
    for (const decision of input.decisions ?? []) {
      run.push({
        type: 'tool-approval-response',
        approvalId: decision.approvalId,
        approved: decision.approved,
      });
    }
  }
  const options = {
    context: input.context,
    signal: run.controller.signal,
    ...(input.turn ? { session: input.turn } : {}),
    ...(services.maxTurns ? { maxTurns: services.maxTurns } : {}),
  };
  let result: AnyResult;
  try {
    if (run.frames) {
      const streamed = await runAgent(input.agent, input.input, { ...options, stream: true });
      for await (const event of streamed) {
        run.markStarted();
        for (const chunk of mapper.map(event)) run.push(chunk);
      }
      await streamed.completed;
      if (streamed.error) throw streamed.error;
      result = streamed;
    } else {
      result = await runAgent(input.agent, input.input, options);
    }
  } catch (error) {
    if (run.controller.signal.aborted) return cancelled(run, input, services, mapper);
    return failed(run, input, services, mapper, error);
  }
  if (run.controller.signal.aborted || (result as { cancelled?: boolean }).cancelled) {
    return cancelled(run, input, services, mapper);
  }
  try {
    if (result.interruptions.length > 0) return await paused(run, input, services, mapper, result);
    if (input.turn) await commitStoreTurn(services.sessions, input.turn);
    if (input.pending) await services.sessions.deletePending(run.runId);
  } catch (error) {
    return failed(run, input, services, mapper, error);
  }
  pushAll(run, [...mapper.close(), completedFinish(run)]);
  run.finish({ ...base(run), status: 'completed', output: result.finalOutput, usage: usageOf(result) });
}

/** The `finish` chunk of a completed phase: it names the tracked answer when there is one. */
function completedFinish(run: LiveRun): UIMessageChunk {
  const { trackedMessageId } = run;
  return {
    type: 'finish',
    finishReason: 'stop',
    ...(trackedMessageId ? { messageMetadata: { trackedMessageId } } : {}),
  };
}

async function paused(
  run: LiveRun,
  input: PhaseInput,
  services: PhaseServices,
  mapper: UiMessageChunkMapper,
  result: AnyResult,
): Promise<void> {
  const approvals = result.interruptions.map(
    (item): ApprovalRequest => ({
      approvalId: approvalIdOf(item),
      toolCallId: approvalIdOf(item),
      toolName: item.toolName ?? item.name ?? 'tool',
      agent: item.agent.name,
      arguments: parseArguments(item.arguments),
    }),
  );
  pushAll(run, [...mapper.close(), { type: 'finish', finishReason: 'tool-calls' }]);
  await services.sessions.savePending({
    runId: run.runId,
    agent: run.agent,
    conversationId: run.conversationId,
    userId: run.userId,
    customerId: run.customerId,
    state: result.state.toString(),
    stagedItems: input.turn?.stagedItems ?? [],
    approvals,
    persist: input.persist,
    // The [DONE] frame `finish` appends takes the next id; the resumed stream continues after it.
    nextFrameId: run.nextFrameId + (run.frames ? 1 : 0),
    createdAt: new Date().toISOString(),
  });
  input.turn?.discard();
  run.finish({ ...base(run), status: 'awaiting_approval', approvals, usage: usageOf(result) });
}

async function cancelled(
  run: LiveRun,
  input: PhaseInput,
  services: PhaseServices,
  mapper: UiMessageChunkMapper,
): Promise<void> {
  const partial = mapper.partialText;
  try {
    if (input.turn) {
      const extra = closeDanglingCalls(input.turn.stagedItems);
      if (partial !== '') extra.push(assistantMessage(partial));
      if (extra.length > 0) await input.turn.addItems(extra);
      await commitStoreTurn(services.sessions, input.turn);
    }
    if (input.pending) await services.sessions.deletePending(run.runId);
  } catch (error) {
    return failed(run, input, services, mapper, error);
  }
  pushAll(run, [...mapper.close(), { type: 'abort', reason: 'cancelled' }]);
  run.finish({ ...base(run), status: 'cancelled', output: partial });
}

async function failed(
  run: LiveRun,
  input: PhaseInput,
  services: PhaseServices,
  mapper: UiMessageChunkMapper,
  error: unknown,
): Promise<void> {
  input.turn?.discard();
  if (input.pending) await services.sessions.deletePending(run.runId).catch(() => undefined);
  const failure: SightlineError = runFailure(error, { agent: run.agent, runId: run.runId });
  services.tracker?.currentConversation()?.trackAction({
    name: 'run_failed',
    error: failure,
    metadata: { runId: run.runId, agent: run.agent, code: failure.code },
  });
  pushAll(run, [
    ...mapper.close(),
    { type: 'error', errorText: failure.message },
    { type: 'finish', finishReason: 'error' },
  ]);
  run.finish({ ...base(run), status: 'failed', error: failure.toJSON().error });
}

function base(
  run: LiveRun,
): Pick<RunOutcome, 'runId' | 'conversationId' | 'trackedConversationId' | 'agent'> {
  return {
    runId: run.runId,
    conversationId: run.conversationId,
    trackedConversationId: run.trackedConversationId,
    agent: run.agent,
  };
}

function pushAll(run: LiveRun, chunks: Parameters<LiveRun['push']>[0][]): void {
  for (const chunk of chunks) run.push(chunk);
}

function usageOf(result: AnyResult): RunUsage {
  const usage = result.state.usage;
  return {
    requests: usage.requests,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens,
  };
}

function assistantMessage(text: string): AgentInputItem {
  return {
    type: 'message',
    role: 'assistant',
    status: 'incomplete',
    content: [{ type: 'output_text', text }],
  } as AgentInputItem;
}

/** Tool calls of a cancelled turn that never got a result get one, so the history stays valid for models. */
function closeDanglingCalls(items: AgentInputItem[]): AgentInputItem[] {
  const answered = new Set<string>();
  for (const item of items) {
    if (item.type === 'function_call_result') answered.add(item.callId);
  }
  return items.flatMap((item) =>
    item.type === 'function_call' && !answered.has(item.callId)
      ? [
          {
            type: 'function_call_result',
            name: item.name,
            callId: item.callId,
            status: 'incomplete',
            output: { type: 'text', text: 'Not run: the run was cancelled.' },
          } as AgentInputItem,
        ]
      : [],
  );
}
