/**
 * `serveWorkflows()`: workflows as a Hono router. `GET /workflows` (discovery); WebSocket
 * `/workflows/:name/ws` (JSON messages both ways); and the same over SSE for clients without WebSocket:
 * `POST /workflows/:name/runs` (starts, streams the events), `GET /workflows/runs/:id/events` (resume with
 * `Last-Event-ID`), `POST /workflows/runs/:id/answers` (`{ questionId, answer }`), `POST .../cancel`.
 *
 * WebSocket, client to server: `start { params?, conversationId? }`, `resume { runId, lastEventId? }`,
 * `answer { questionId, answer }` (a string, or an array for `choose` with `single: false`), `cancel`,
 * `keep-alive`. Server to client: the run's WorkflowEvents, each with its `eventId` (1, 2, ...), then the
 * socket closes (1000, reason = the status); `keep-alive` while idle; and `error { code, message, issues?,
 * refused: true, questionId? }` for a client message that was refused (the connection and run go on).
 */

import {
  checkJsonShape,
  errorBodyOf,
  errorHandler,
  notFoundHandler,
  readValidJson,
} from '@sightline/core/http';
import type { Tracker } from '@sightline/tracker';
import { type Context, Hono } from 'hono';
import type { WSContext, WSEvents } from 'hono/ws';
import { z } from 'zod';
import { idSchema } from '../agents/chat-request.ts';
import { ServeError } from '../errors.ts';
import { parseLastEventId } from '../http/frame-log.ts';
import { type ServeEnv, type ServeHooks, userMiddleware } from '../http/serve-hooks.ts';
import { sseResponse } from '../http/sse-response.ts';
import { createWebSocketSupport, type WebSocketSupport } from '../http/websockets.ts';
import type { RemoteWorkflowRun } from '../nodes/remote-workflow-runs.ts';
import { type ServeNode, serveNode } from '../nodes/serve-node.ts';
import type { WorkflowRun } from './workflow-run.ts';
import { type AnyWorkflow, WorkflowRuns } from './workflow-runs.ts';

export interface ServeWorkflowsOptions<TUser = unknown> extends ServeHooks<TUser> {
  workflows: AnyWorkflow[];
  /** A run waiting for an answer with nobody connected is cancelled after this, in ms (default 5 minutes). */
  abandonAfterMs?: number;
  /** Largest WebSocket message, in bytes (default 64 KiB). */
  maxMessageBytes?: number;
  /** WebSocket support to share with other routers (default: its own). */
  websockets?: WebSocketSupport;
  /**
   * Receives what a workflow threw that was not a SightlineError; the person only sees a generic
   * `internal` error (default: one line on stderr).
   */
  onError?: (error: unknown, run: { workflow: string; runId: string }) => void;
  /**
   * This serving node (`serveNode({ runs, bus })`), shared with `serveAgents`: where runs and their
   * events are recorded (readable after a restart and from any node) and how other nodes reach them.
   * Default: a node of its own, in memory.
   */
  node?: ServeNode;
}

/** A run held here, or one of another node (or an earlier process) being read. */
type AnyRun = WorkflowRun | RemoteWorkflowRun;

/** A Hono router serving workflows; call `injectWebSocket(server)` after listening, `close()` to stop. */
export type WorkflowsRouter = Hono<ServeEnv> & {
  workflowRuns: WorkflowRuns;
  injectWebSocket: WebSocketSupport['injectWebSocket'];
  close(): Promise<void>;
};

const startBody = z.strictObject({
  params: z.unknown().optional(),
  conversationId: idSchema.optional(),
});
const answerBody = z.strictObject({
  questionId: z.string({ error: 'must be the id of the question being answered' }).min(1).max(100),
  answer: z.union([z.string(), z.array(z.string()).max(1000)], {
    error: 'must be a string or an array of strings',
  }),
});
const clientMessage = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('start'),
      params: z.unknown().optional(),
      conversationId: idSchema.optional(),
    }),
    z.strictObject({
      type: z.literal('resume'),
      runId: z.string().min(1).max(100),
      lastEventId: z.number().int().min(0).optional(),
    }),
    answerBody.extend({ type: z.literal('answer') }),
    z.strictObject({ type: z.literal('cancel') }),
    z.strictObject({ type: z.literal('keep-alive') }),
  ],
  { error: 'type must be start, resume, answer, cancel or keep-alive' },
);

/** The workflow endpoints, with the auth hook applied to every route (the WebSocket upgrade included). */
export function serveWorkflows<TUser = unknown>(options: ServeWorkflowsOptions<TUser>): WorkflowsRouter {
  const tracker = options.tracker === false ? undefined : (options.tracker as Tracker | undefined);
  const node = options.node ?? serveNode();
  const runs = new WorkflowRuns({
    workflows: options.workflows,
    tracker,
    node,
    abandonAfterMs: options.abandonAfterMs,
    maxAnswerChars: options.maxInputChars,
    onError: options.onError ?? logFailure,
  });
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const app = new Hono<ServeEnv>();
  const websockets = options.websockets ?? createWebSocketSupport(() => app, options.maxMessageBytes);
  app.onError(errorHandler());
  // Served on its own, a wrong path or method is a JSON 404 too (mounted, the host app's handler answers).
  app.notFound(notFoundHandler());
  const auth = userMiddleware(options);
  app.use('/workflows/*', auth); // matches `/workflows` too: getUser runs once per request

  app.get('/workflows', (c) => c.json({ workflows: runs.describe() }));

  app.get(
    '/workflows/:name/ws',
    websockets.upgradeWebSocket((c) => {
      const name = c.req.param('name') ?? '';
      runs.get(name);
      return socketEvents(runs, name, c.get('caller'), keepAliveMs);
    }),
    () => {
      throw new ServeError(
        'invalid_request',
        'this endpoint speaks WebSocket: connect with a WebSocket client (Upgrade: websocket)',
        { issues: [{ path: 'upgrade', message: 'must be "websocket"' }] },
      );
    },
  );

  app.post('/workflows/:name/runs', async (c) => {
    const name = c.req.param('name');
    runs.get(name);
    const body = await readValidJson(c, startBody, { maxBytes: options.maxBodyBytes });
    const { user, userId } = c.get('caller');
    const run = runs.start({ name, params: body.params, user, userId, conversationId: body.conversationId });
    if (node.bus) await node.recorded(); // another node finds the run as soon as the client knows it
    if (wantsEventStream(c)) return events(run, 0, keepAliveMs);
    return c.json(
      {
        runId: run.runId,
        workflow: name,
        conversationId: run.conversationId,
        trackedConversationId: run.trackedConversationId,
        status: run.status,
      },
      201,
    );
  });

  app.get('/workflows/runs/:id', async (c) => {
    const run = await runs.find(c.req.param('id'), c.get('caller').userId);
    if ('frames' in run) {
      return c.json({
        runId: run.runId,
        workflow: run.workflow,
        status: run.status,
        result: run.result,
        questions: run.openQuestions,
      });
    }
    return c.json({
      runId: run.runId,
      workflow: run.name,
      status: run.status,
      result: run.data.result,
      questions: await runs.remote.openQuestions(run),
    });
  });

  app.get('/workflows/runs/:id/events', async (c) => {
    const afterId = parseLastEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId')) ?? 0;
    const run = await runs.open(c.req.param('id'), c.get('caller').userId, afterId);
    run.frames.checkResumable(afterId);
    return events(run, afterId, keepAliveMs);
  });

  app.post('/workflows/runs/:id/answers', async (c) => {
    const run = await runs.find(c.req.param('id'), c.get('caller').userId);
    const body = await readValidJson(c, answerBody, { maxBytes: options.maxBodyBytes });
    if (run.status !== 'running')
      throw new ServeError('conflict', `workflow run ${run.runId} is ${run.status}`);
    if ('frames' in run) run.answer(body.questionId, body.answer);
    else await runs.remote.send(run, { type: 'answer', userId: run.userId, ...body });
    return c.json({ runId: run.runId, questionId: body.questionId, accepted: true });
  });

  app.post('/workflows/runs/:id/cancel', async (c) => {
    const run = await runs.find(c.req.param('id'), c.get('caller').userId);
    if ('frames' in run) {
      run.cancel('cancelled by the user');
      return c.json({ runId: run.runId, status: run.status });
    }
    const command = { type: 'cancel', userId: run.userId, kind: 'workflow', name: run.name } as const;
    const reply = (await runs.remote.send(run, command)) as { status?: string } | undefined;
    return c.json({ runId: run.runId, status: reply?.status ?? 'cancelled' });
  });

  return Object.assign(app, {
    workflowRuns: runs,
    injectWebSocket: websockets.injectWebSocket,
    close: async () => {
      runs.close();
      if (!options.node) await node.close();
    },
  });
}

/** The run's events as SSE (each event named by its type), counted as a reader while open. */
function events(run: AnyRun, afterId: number, keepAliveMs: number): Response {
  run.readers += 1;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    run.readers -= 1;
    run.lastReadAt = Date.now();
    if ('close' in run) run.close();
  };
  return sseResponse(run.frames, {
    afterId,
    keepAliveMs,
    onClose: release,
    headers: { 'x-sightline-run-id': run.runId, 'x-sightline-conversation-id': run.conversationId },
  });
}

/** One WebSocket connection: starts or resumes a run, forwards its events, takes answers. */
function socketEvents(
  runs: WorkflowRuns,
  name: string,
  caller: { user: unknown; userId: string },
  keepAliveMs: number,
): WSEvents {
  let run: AnyRun | undefined;
  let queue: Promise<void> = Promise.resolve();
  const stop = new AbortController();
  let keepAlive: NodeJS.Timeout | undefined;
  const send = (ws: WSContext, message: unknown) => {
    if (ws.readyState === 1) ws.send(JSON.stringify(message));
  };
  // A refused client message: the run (if any) goes on; unlike the run's own `error` event it has no eventId.
  const refuse = (ws: WSContext, error: unknown, extra: Record<string, unknown> = {}) =>
    send(ws, { type: 'error', ...errorBodyOf(error).error, refused: true, ...extra });

  const follow = async (ws: WSContext, target: AnyRun, afterId: number) => {
    run = target;
    target.readers += 1;
    try {
      for await (const frame of target.frames.read(afterId, stop.signal)) {
        send(ws, { ...(JSON.parse(frame.data) as object), eventId: frame.id });
      }
      if (!stop.signal.aborted) ws.close(1000, target.status);
    } catch (error) {
      send(ws, { type: 'error', ...errorBodyOf(error).error });
      ws.close(1011, 'stream failed');
    } finally {
      target.readers -= 1;
      target.lastReadAt = Date.now();
      if ('close' in target) target.close();
    }
  };

  return {
    onOpen(_event, ws) {
      keepAlive = setInterval(() => send(ws, { type: 'keep-alive' }), keepAliveMs);
      keepAlive.unref();
    },
    onMessage(event, ws) {
      let message: z.infer<typeof clientMessage> | undefined;
      try {
        const data = typeof event.data === 'string' ? event.data : '';
        let raw: unknown;
        try {
          raw = JSON.parse(data);
        } catch (cause) {
          throw new ServeError('invalid_json', 'a message must be a JSON object', { cause });
        }
        checkJsonShape(raw);
        const parsed = clientMessage.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new ServeError(
            'invalid_request',
            `${issue?.path.join('.') || 'message'}: ${issue?.message}`,
            {
              issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
            },
          );
        }
        message = parsed.data;
        const handled = message;
        // One message after the other: an answer sent right after a resume waits for the resume.
        queue = queue
          .then(() => handle(ws, handled))
          .catch((error: unknown) =>
            refuse(ws, error, handled.type === 'answer' ? { questionId: handled.questionId } : {}),
          );
      } catch (error) {
        refuse(ws, error, message?.type === 'answer' ? { questionId: message.questionId } : {});
      }
    },
    onClose() {
      clearInterval(keepAlive);
      stop.abort();
    },
  };

  async function handle(ws: WSContext, message: z.infer<typeof clientMessage>): Promise<void> {
    switch (message.type) {
      case 'start':
        if (run) throw new ServeError('conflict', 'this connection already runs a workflow');
        void follow(
          ws,
          runs.start({
            name,
            params: message.params,
            user: caller.user,
            userId: caller.userId,
            conversationId: message.conversationId,
          }),
          0,
        );
        return;
      case 'resume': {
        if (run) throw new ServeError('conflict', 'this connection already follows a run');
        const afterId = message.lastEventId ?? 0;
        const target = await runs.open(message.runId, caller.userId, afterId);
        if (target.workflow !== name) {
          if ('close' in target) target.close();
          throw new ServeError('not_found', `no ${name} run ${message.runId}`);
        }
        target.frames.checkResumable(afterId);
        void follow(ws, target, afterId);
        return;
      }
      case 'answer':
        if (!run) throw new ServeError('conflict', 'start or resume a run first');
        if (run.status !== 'running') throw new ServeError('conflict', `the run is ${run.status}`);
        await run.answer(message.questionId, message.answer);
        return;
      case 'cancel':
        if (!run) throw new ServeError('conflict', 'start or resume a run first');
        await run.cancel('cancelled by the user');
        return;
      case 'keep-alive':
        return;
    }
  }
}

/** The default `onError`: one line on stderr, so a failing workflow is never silent on the server. */
function logFailure(error: unknown, run: { workflow: string; runId: string }): void {
  console.error(`[sightline] workflow "${run.workflow}" (run ${run.runId}) failed:`, error);
}

function wantsEventStream(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/event-stream');
}
