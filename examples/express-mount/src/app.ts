/**
 * The existing Express shop, plus one mount: `app.use('/ai', toExpress(agents))` serves the support agent
 * under `/ai` (`POST /ai/agents/support/runs`, JSON or SSE, `GET /ai/agents`, `POST /ai/v1/chat/completions`)
 * with the shop's own auth (the same `userFromAuthorization`) as the agent's `getUser`. The app's
 * `express.json()` runs first and the adapter hands the parsed body over; paths the agent router does not
 * serve fall through to the app's 404.
 */
import type { Model } from '@openai/agents';
import { type AgentsRouter, serveAgents } from '@sightline/serve';
import { toExpress } from '@sightline/serve/express';
import express from 'express';
import { OrderStore } from './order-store.ts';
import { errorHandler, notFound, shopRoutes } from './shop-routes.ts';
import { DEMO_CUSTOMERS, type ShopUser, userFromAuthorization } from './shop-users.ts';
import { createSupportAgent } from './support-agent.ts';

export interface ShopAppOptions {
  orders?: OrderStore;
  users?: Record<string, ShopUser>;
  /** Default: OpenAI when OPENAI_API_KEY is set, else the offline demo model. */
  model?: Model | string;
}

export interface ShopApp {
  app: express.Express;
  orders: OrderStore;
  agents: AgentsRouter;
}

/** Builds the shop with its support agent mounted under `/ai`. */
export function createShopApp(options: ShopAppOptions = {}): ShopApp {
  const orders = options.orders ?? new OrderStore();
  const users = options.users ?? DEMO_CUSTOMERS;
  const app = express();
  app.use(express.json({ limit: '100kb' }));
  app.get('/health', (_request, response) => {
    response.json({ ok: true });
  });
  app.use('/api', shopRoutes(orders, users));

  const agents = serveAgents<ShopUser>({
    agents: [createSupportAgent(orders, options.model)],
    getUser: (request) => userFromAuthorization(request.headers.get('authorization'), users),
    tracker: false,
  });
  app.use('/ai', toExpress(agents));

  app.use(notFound);
  app.use(errorHandler);
  return { app, orders, agents };
}
