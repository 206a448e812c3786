/**
 * `serveAgents()`: the agent endpoints as a Hono router. `GET /agents` (discovery), `POST /agents/:name/runs`
 * (JSON, or the AI SDK UI message stream over SSE with `Accept: text/event-stream` or an AI SDK transport
 * body), `GET /agents/:name/runs/:runId` (status), `GET .../stream` (resume with `Last-Event-ID`),
 * `POST .../cancel`, `POST .../approvals`, `GET /agents/:name/conversations/:id/messages` (the caller's
 * history as UI messages) and `POST /v1/chat/completions` (OpenAI-compatible).
 */

import { errorHandler, notFoundHandler, readJsonBody, readValidJson, statusOf } from '@sightline/core/http';
import type { Tracker } from '@sightline/tracker';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ServeError } from '../errors.ts';
import { parseLastEventId } from '../http/frame-log.ts';
import { type ServeEnv, type ServeHooks, userMiddleware } from '../http/serve-hooks.ts';
import { sseResponse } from '../http/sse-response.ts';
import { type ServeNode, serveNode } from '../nodes/serve-node.ts';
import { conversationHistoryRoutes } from '../sessions/conversation-history.ts';
import { memorySessions, type SessionStore } from '../sessions/session-store.ts';
import { AgentCatalog, type ServedAgents } from './agent-catalog.ts';
import { AgentRuns, type RunCaller } from './agent-runs.ts';
import { chatCompletionRoutes } from './chat-completions.ts';
import { idSchema, parseRunRequest } from './chat-request.ts';
import type { LiveRun } from './live-run.ts';
import { UI_MESSAGE_STREAM_HEADERS } from './ui-message-stream-headers.ts';

export interface ServeAgentsOptions<TUser = unknown> extends ServeHooks<TUser> {
  agents: ServedAgents;
  /** Conversations and paused runs (default: in memory; use `sqliteSessions(file)` to keep them). */
  sessions?: SessionStore;
  /** Most model turns per run (default: the SDK's). */
  maxTurns?: number;
  /** How long a finished run's stream stays resumable, in ms (default 10 minutes). */
  keepFinishedMs?: number;
  /** Most runs working at once; more answer 503 (default 1,000). */
  maxConcurrentRuns?: number;
  /**
   * This serving node (`serveNode({ runs, bus })`), shared with `serveWorkflows`: where runs are recorded
   * and how other nodes reach them. Default: a node of its own, in memory, reaching this process only.
   */
  node?: ServeNode;
}

/** A Hono router serving agents; `close()` stops its runs (storing what they produced). */
export type AgentsRouter = Hono<ServeEnv> & { runs: AgentRuns; close(): Promise<void> };

const approvalsBody = z.strictObject({
  approvals: z
    .array(
      z.strictObject({
        approvalId: z.string().min(1, 'must not be empty').max(512),
        approved: z.boolean({ error: 'must be true or false' }),
        message: z.string().max(10_000).optional(),
      }),
    )
    .min(1, 'must hold at least one decision')
    .max(100),
  context: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
});

/** The agent endpoints for `agents`, with the auth hook applied to every route. */
export function serveAgents<TUser = unknown>(options: ServeAgentsOptions<TUser>): AgentsRouter {
  const catalog = new AgentCatalog(options.agents);
  const tracker = options.tracker === false ? undefined : (options.tracker as Tracker | undefined);
  const node = options.node ?? serveNode();
  const sessions = options.sessions ?? memorySessions();
  const runs = new AgentRuns({
    catalog,
    node,
    sessions,
    tracker,
    maxTurns: options.maxTurns,
    keepFinishedMs: options.keepFinishedMs,
    maxConcurrentRuns: options.maxConcurrentRuns,
  });
  const maxInputChars = options.maxInputChars ?? 100_000;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const app = new Hono<ServeEnv>();
  app.onError(errorHandler());
  // Served on its own, a wrong path or method is a JSON 404 too (mounted, the host app's handler answers).
  app.notFound(notFoundHandler());
  const auth = userMiddleware(options);
  app.use('/agents/*', auth); // matches `/agents` too: getUser runs once per request

  app.get('/agents', (c) => c.json({ agents: catalog.describe() }));
  app.get('/agents/:name', (c) => c.json(catalog.describeOne(c.req.param('name'))));

  app.post('/agents/:name/runs', async (c) => {
    const name = c.req.param('name');
    catalog.get(name);
    const request = parseRunRequest(await readJsonBody(c, { maxBytes: options.maxBodyBytes }), maxInputChars);
    const caller = await callerOf(c, options, request.context);
    if (request.kind === 'approvals') {
      // In memory here, else paused in the session store (asked on another node, or before a restart).
      const runId =
        runs.find(name, request.conversationId, caller.userId)?.runId ??
        (await runs.pendingOf(name, request.conversationId, caller.userId))?.runId;
      if (!runId)
        throw new ServeError(
          'not_found',
          `no run of conversation "${request.conversationId}" waits for approval`,
        );
      const resumed = await runs.approve({
        agent: name,
        runId,
        caller,
        decisions: request.decisions,
        stream: true,
      });
      return answer(c, resumed, true, { keepAliveMs, afterId: phaseStart(resumed) });
    }
    const stream = request.streamByDefault || wantsEventStream(c);
    const run = await runs.start({
      agent: name,
      input: request.input,
      conversationId: request.conversationId,
      caller: { ...caller, customerId: caller.customerId ?? request.customerId },
      stream,
      keepUserTurns: request.keepUserTurns,
    });
    return answer(c, run, stream, { keepAliveMs, afterId: 0 });
  });

  app.get('/agents/:name/runs/:runId', async (c) => {
    const name = c.req.param('name');
    catalog.get(name);
    const caller = await callerOf(c, options, undefined);
    const run = runs.find(name, c.req.param('runId'), caller.userId);
    if (run?.outcome) return c.json(run.outcome);
    if (run)
      return c.json({
        runId: run.runId,
        conversationId: run.conversationId,
        trackedConversationId: run.trackedConversationId,
        agent: name,
        status: run.status,
      });
    const recorded = await runs.remote.find(name, c.req.param('runId'), caller.userId);
    if (recorded) return c.json(runs.remote.outcomeOf(recorded));
    throw new ServeError('not_found', `no run ${c.req.param('runId')} of agent "${name}"`);
  });

  app.get('/agents/:name/runs/:runId/stream', async (c) => {
    const name = c.req.param('name');
    catalog.get(name);
    const caller = await callerOf(c, options, undefined);
    const afterId = parseLastEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId'));
    const run = runs.find(name, c.req.param('runId'), caller.userId);
    if (!run) return resumeElsewhere(c, runs, { name, userId: caller.userId, afterId, keepAliveMs });
    // As the AI SDK expects: 204 when there is nothing to resume (no such run, or a finished one replayed).
    if (!run.frames || (afterId === undefined && !run.running)) return c.body(null, 204);
    run.frames.checkResumable(afterId ?? 0);
    return sseResponse(run.frames, { afterId: afterId ?? 0, keepAliveMs, headers: streamHeaders(run) });
  });

  app.post('/agents/:name/runs/:runId/cancel', async (c) => {
    const name = c.req.param('name');
    catalog.get(name);
    const caller = await callerOf(c, options, undefined);
    return c.json(await runs.cancel(name, c.req.param('runId'), caller.userId));
  });

  app.post('/agents/:name/runs/:runId/approvals', async (c) => {
    const name = c.req.param('name');
    catalog.get(name);
    const runId = idSchema.safeParse(c.req.param('runId'));
    if (!runId.success) throw new ServeError('not_found', 'no such run');
    const body = await readValidJson(c, approvalsBody, { maxBytes: options.maxBodyBytes });
    const caller = await callerOf(c, options, body.context);
    const stream = wantsEventStream(c);
    const run = await runs.approve({
      agent: name,
      runId: runId.data,
      caller,
      decisions: body.approvals,
      stream,
    });
    return answer(c, run, stream, { keepAliveMs, afterId: phaseStart(run) });
  });

  app.route('/', conversationHistoryRoutes({ catalog, runs, sessions, tracked: tracker !== undefined }));
  app.route('/', chatCompletionRoutes({ runs, catalog, hooks: options as ServeHooks<unknown> }));
  const close = async () => {
    await runs.close();
    if (!options.node) await node.close();
  };
  return Object.assign(app, { runs, close });
}

/** Resumes the stream of a run another node runs (or ran), through the bus; 204 when there is none. */
async function resumeElsewhere(
  c: Context<ServeEnv>,
  runs: AgentRuns,
  options: { name: string; userId: string; afterId: number | undefined; keepAliveMs: number },
): Promise<Response> {
  const recorded = await runs.remote.find(options.name, c.req.param('runId') ?? '', options.userId);
  const remote = recorded ? await runs.remote.stream(recorded, options.afterId) : undefined;
  if (!recorded || !remote) return c.body(null, 204);
  return sseResponse(remote.log, {
    afterId: options.afterId ?? 0,
    keepAliveMs: options.keepAliveMs,
    onClose: remote.stop,
    headers: {
      ...UI_MESSAGE_STREAM_HEADERS,
      'x-sightline-run-id': recorded.runId,
      'x-sightline-conversation-id': recorded.conversationId,
    },
  });
}

/** The JSON outcome (after the run settles), or the stream from `afterId`. */
async function answer(
  c: Context<ServeEnv>,
  run: LiveRun,
  stream: boolean,
  options: { keepAliveMs: number; afterId: number },
): Promise<Response> {
  if (stream && run.frames) {
    // Refused before producing anything (a guardrail, a bad model name): a plain JSON error, not a stream.
    if (run.outcome?.status === 'failed' && !run.phaseHadEvents) {
      return c.json({ ...run.outcome }, statusOf(errorFromOutcome(run)));
    }
    return sseResponse(run.frames, {
      afterId: options.afterId,
      keepAliveMs: options.keepAliveMs,
      headers: streamHeaders(run),
    });
  }
  const outcome = await run.settled;
  if (outcome.status === 'failed') return c.json(outcome, statusOf(errorFromOutcome(run)));
  return c.json(outcome);
}

function errorFromOutcome(run: LiveRun): ServeError {
  const error = run.outcome?.error;
  return new ServeError(error?.code ?? 'internal', error?.message ?? 'run failed');
}

function streamHeaders(run: LiveRun): Record<string, string> {
  return {
    ...UI_MESSAGE_STREAM_HEADERS,
    'x-sightline-run-id': run.runId,
    'x-sightline-conversation-id': run.conversationId,
  };
}

/** The id of the last frame before the current phase's `start` chunk. */
function phaseStart(run: LiveRun): number {
  return run.phaseFirstFrameId - 1;
}

function wantsEventStream(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/event-stream');
}

async function callerOf<TUser>(
  c: Context<ServeEnv>,
  hooks: ServeHooks<TUser>,
  bodyContext: Record<string, unknown> | undefined,
): Promise<RunCaller> {
  const { user, userId } = c.get('caller');
  const context = hooks.context
    ? await hooks.context({ user: user as TUser | undefined, request: c.req.raw, context: bodyContext })
    : defaultContext(user, bodyContext);
  return { userId, customerId: userId === '' ? undefined : userId, context };
}

/** The getUser result is the run context; a request's `context` adds fields but never overrides the user. */
function defaultContext(user: unknown, bodyContext: Record<string, unknown> | undefined): unknown {
  if (bodyContext === undefined) return user ?? {};
  if (user === undefined) return bodyContext;
  if (user && typeof user === 'object') return { ...bodyContext, ...user };
  return { ...bodyContext, user };
}
