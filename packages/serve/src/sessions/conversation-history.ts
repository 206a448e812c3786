/**
 * `GET /agents/:name/conversations/:conversationId/messages`: the caller's conversation as AI SDK
 * `UIMessage`s (history-messages.ts), with the run paused on a tool approval (so a chat opened in a new
 * tab shows Approve / Deny) and the run still working on it in this process (so it can resume its
 * stream). Conversations are per user: another user's id reads as unknown, 404.
 */
import type { AgentInputItem } from '@openai/agents-core';
import { parseWith } from '@sightline/core/http';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AgentCatalog } from '../agents/agent-catalog.ts';
import type { AgentRuns } from '../agents/agent-runs.ts';
import { idSchema } from '../agents/chat-request.ts';
import type { LiveRun } from '../agents/live-run.ts';
import { ServeError } from '../errors.ts';
import type { Frame } from '../http/frame-log.ts';
import type { ServeEnv } from '../http/serve-hooks.ts';
import { historyMessages } from './history-messages.ts';
import type { ApprovalRequest, PendingRun, SessionStore } from './session-store.ts';
import { trackedConversationId } from './tracked-conversation.ts';

/** Most messages one read answers (the latest ones). */
export const MAX_HISTORY_MESSAGES = 1000;
const DEFAULT_HISTORY_MESSAGES = 200;

const pathSchema = z.object({ conversationId: idSchema });
const querySchema = z.object({
  limit: z
    .string()
    .regex(/^[0-9]{1,9}$/, `must be a whole number from 1 to ${MAX_HISTORY_MESSAGES}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, 'must be at least 1')
        .max(MAX_HISTORY_MESSAGES, `must be at most ${MAX_HISTORY_MESSAGES}`),
    )
    .default(DEFAULT_HISTORY_MESSAGES),
});

/** The answer of the history route. */
export interface ConversationHistory {
  conversationId: string;
  trackedConversationId: string;
  /**
   * Whether the served runs are tracked into a collector (serveAgents has a tracker): a key that reads it
   * finds the conversation there as `trackedConversationId` (the dashboard's chat pairs the history's
   * answers with their tracked ids that way, so that they take thumbs).
   */
  tracked: boolean;
  agent: string;
  /** The latest `limit` messages, oldest first (AI SDK `UIMessage`s). */
  messages: unknown[];
  /** True when older messages were left out (`limit`). */
  hasMore: boolean;
  /** The run waiting for the person's decisions: answer it as `POST …/runs/:runId/approvals` does. */
  pendingApproval: { runId: string; approvals: ApprovalRequest[] } | null;
  /**
   * The run still working on the conversation: resume its stream at `GET …/runs/:runId/stream` with
   * `Last-Event-ID: lastEventId` (null for a run started without a stream).
   */
  activeRun: { runId: string; lastEventId: number | null } | null;
}

/** The history route of served agents (mounted by serveAgents, behind its auth hook). */
export function conversationHistoryRoutes(options: {
  catalog: AgentCatalog;
  runs: AgentRuns;
  sessions: SessionStore;
  /** Whether serveAgents tracks its runs (ConversationHistory.tracked). */
  tracked: boolean;
}): Hono<ServeEnv> {
  const app = new Hono<ServeEnv>();
  app.get('/agents/:name/conversations/:conversationId/messages', async (c) => {
    const agent = c.req.param('name');
    options.catalog.get(agent);
    const { conversationId } = parseWith(pathSchema, { conversationId: c.req.param('conversationId') });
    const { limit } = parseWith(querySchema, { limit: c.req.query('limit') });
    const { userId } = c.get('caller');
    const [stored, pending] = await Promise.all([
      options.sessions.session(conversationId, userId).getItems(),
      options.runs.pendingOf(agent, conversationId, userId),
    ]);
    const live = options.runs.find(agent, conversationId, userId);
    const running = live?.running && live.conversationId === conversationId ? live : undefined;
    if (stored.length === 0 && !pending && !running) {
      throw new ServeError('not_found', `no conversation "${conversationId}" with agent "${agent}"`);
    }
    const view = running ? runningView(running, pending) : pendingView(pending);
    const all = historyMessages([...stored, ...view.items], {
      metadata: {
        conversationId,
        trackedConversationId: trackedConversationId(userId, conversationId),
        agent,
      },
      approvals: view.approvals,
      lastRunId: view.runId,
    });
    const answer: ConversationHistory = {
      conversationId,
      trackedConversationId: trackedConversationId(userId, conversationId),
      tracked: options.tracked,
      agent,
      messages: all.slice(-limit),
      hasMore: all.length > limit,
      pendingApproval: pending && !running ? { runId: pending.runId, approvals: pending.approvals } : null,
      activeRun: running ? { runId: running.runId, lastEventId: view.lastEventId } : null,
    };
    return c.json(answer);
  });
  return app;
}

/** What a history shows beyond the stored items: a run's staged items and its approvals. */
interface RunView {
  items: AgentInputItem[];
  approvals: Map<string, { approvalId: string; approved?: boolean | undefined }>;
  runId: string | undefined;
  lastEventId: number | null;
}

/** A run paused on approvals: its turn so far, its calls awaiting a decision. */
function pendingView(pending: PendingRun | undefined): RunView {
  if (!pending) return { items: [], approvals: new Map(), runId: undefined, lastEventId: null };
  const approvals = new Map(
    pending.approvals.map((approval) => [approval.toolCallId, { approvalId: approval.approvalId }]),
  );
  return { items: pending.stagedItems, approvals, runId: pending.runId, lastEventId: null };
}

/**
 * A run at work. A new run: the person's message (the stream, replayed from its first frame, builds the
 * answer). A run resuming after approvals: its turn as it was paused, the decisions taken (read from its
 * stream), and the stream from after the resumed phase's `start`, which continues that message.
 */
function runningView(run: LiveRun, pending: PendingRun | undefined): RunView {
  if (pending?.runId === run.runId) {
    const decisions = decisionsOf(run, run.phaseFirstFrameId);
    const approvals = new Map(
      pending.approvals.map((approval) => [
        approval.toolCallId,
        { approvalId: approval.approvalId, approved: decisions.get(approval.approvalId) },
      ]),
    );
    return {
      items: pending.stagedItems,
      approvals,
      runId: run.runId,
      lastEventId: run.frames ? run.phaseFirstFrameId : null,
    };
  }
  const input = run.input ?? [];
  return {
    items: typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : input,
    approvals: new Map(),
    runId: undefined,
    lastEventId: run.frames ? run.phaseFirstFrameId - 1 : null,
  };
}

/** The decisions a resumed phase streams right after its `start` frame (`tool-approval-response`). */
function decisionsOf(run: LiveRun, startFrameId: number): Map<string, boolean> {
  const decisions = new Map<string, boolean>();
  let frames: Frame[];
  try {
    frames = run.frames?.framesAfter(startFrameId) ?? [];
  } catch {
    return decisions; // no longer buffered: the calls read as awaiting a decision
  }
  for (const frame of frames.slice(0, 1000)) {
    if (frame.data === '[DONE]') break;
    const chunk = JSON.parse(frame.data) as { type?: string; approvalId?: string; approved?: boolean };
    if (chunk.type !== 'tool-approval-response') break;
    if (typeof chunk.approvalId === 'string' && typeof chunk.approved === 'boolean')
      decisions.set(chunk.approvalId, chunk.approved);
  }
  return decisions;
}
