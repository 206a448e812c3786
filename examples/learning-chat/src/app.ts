/**
 * The learning chat served over HTTP: a Hono app with the workflows router of @sightline/serve mounted
 * at `/` — `GET /workflows` (discovery), WebSocket `/workflows/learning_chat/ws`, and SSE +
 * `POST /workflows/runs/:id/answers` for clients without WebSocket. The user comes from
 * `Authorization: Bearer <token>` or, for browsers (which cannot set headers on a WebSocket),
 * `?token=<token>`.
 */
import type { Server } from 'node:http';
import type { Model } from '@openai/agents';
import { serveWorkflows, type WorkflowsRouter } from '@sightline/serve';
import type { Tracker } from '@sightline/tracker';
import { Hono } from 'hono';
import { learningChat } from './learning-chat.ts';

/** A signed-in person. */
export interface Learner {
  userId: string;
  name: string;
}

/** Demo users: token -> user. A real app validates a session cookie or a JWT here. */
export const DEMO_USERS: Record<string, Learner> = {
  'alice-token': { userId: 'alice', name: 'Alice' },
  'bob-token': { userId: 'bob', name: 'Bob' },
};

export interface LearningChatAppOptions {
  /** The model of both agents (default: the offline demo model). */
  model?: Model | string;
  /** Where runs are tracked (default: nothing is tracked). */
  tracker?: Tracker | false;
  /** Token -> user (default DEMO_USERS). */
  users?: Record<string, Learner>;
  /** Interval of keep-alive messages, in ms (default 15,000). */
  keepAliveMs?: number;
}

export interface LearningChatApp {
  app: Hono;
  workflows: WorkflowsRouter;
  /** Call once the HTTP server listens: WebSocket upgrades then go through `app`. */
  injectWebSocket(server: Server): void;
  /** Cancels the runs in progress. */
  close(): Promise<void>;
}

/** The token of a request: the bearer token, else the `token` query parameter. */
function tokenOf(request: Request): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  return bearer ?? new URL(request.url).searchParams.get('token') ?? undefined;
}

/** Builds the app (the test builds it too, on a free port). */
export function createLearningChatApp(options: LearningChatAppOptions = {}): LearningChatApp {
  const users = options.users ?? DEMO_USERS;
  const workflows = serveWorkflows<Learner>({
    workflows: [learningChat(options.model)],
    getUser: (request) => {
      const token = tokenOf(request);
      return token ? users[token] : undefined;
    },
    tracker: options.tracker ?? false,
    ...(options.keepAliveMs ? { keepAliveMs: options.keepAliveMs } : {}),
  });
  const app = new Hono();
  app.get('/', (c) =>
    c.json({
      workflows: '/workflows',
      websocket: '/workflows/learning_chat/ws?token=alice-token',
      sse: 'POST /workflows/learning_chat/runs (Accept: text/event-stream)',
    }),
  );
  app.route('/', workflows);
  return {
    app,
    workflows,
    injectWebSocket: (server) => workflows.injectWebSocket(server, app),
    close: () => workflows.close(),
  };
}
