/**
 * The existing shop API, as plain Express: `GET/POST /orders`, `GET /orders/:id`, behind the shop's
 * bearer-token auth, plus the app's own 404 and error handlers. Nothing here knows about agents.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { OrderStore } from './order-store.ts';
import { type ShopUser, userFromAuthorization } from './shop-users.ts';

const newOrder = z.strictObject({
  item: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  quantity: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100'),
});

/** The `/orders` routes. */
export function shopRoutes(orders: OrderStore, users: Record<string, ShopUser>): express.Router {
  const router = express.Router();
  router.use((request, response, next) => {
    const user = userFromAuthorization(request.headers.authorization, users);
    if (!user) {
      response
        .status(401)
        .json({ error: { code: 'unauthorized', message: 'send Authorization: Bearer <token>' } });
      return;
    }
    response.locals.user = user;
    next();
  });
  router.get('/orders', (_request, response) => {
    response.json({ orders: orders.list((response.locals.user as ShopUser).userId) });
  });
  router.post('/orders', (request, response) => {
    const parsed = newOrder.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }));
      response.status(400).json({ error: { code: 'invalid_request', message: 'invalid order', issues } });
      return;
    }
    const { userId } = response.locals.user as ShopUser;
    response.status(201).json(orders.create(userId, parsed.data.item, parsed.data.quantity));
  });
  router.get('/orders/:id', (request, response) => {
    const order = orders.get((response.locals.user as ShopUser).userId, Number(request.params.id));
    if (!order) {
      response
        .status(404)
        .json({ error: { code: 'not_found', message: `you have no order ${request.params.id}` } });
      return;
    }
    response.json(order);
  });
  return router;
}

/** The app's 404 for anything no route answered. */
export function notFound(request: Request, response: Response): void {
  response
    .status(404)
    .json({ error: { code: 'not_found', message: `no route for ${request.method} ${request.path}` } });
}

/** The app's error handler: a malformed JSON body is the client's 400, anything else a 500. */
export function errorHandler(
  error: unknown,
  _request: Request,
  response: Response,
  _next: NextFunction,
): void {
  const status = (error as { status?: number }).status;
  if (status === 400 || (error as { type?: string }).type === 'entity.parse.failed') {
    response.status(400).json({ error: { code: 'invalid_json', message: 'the body is not valid JSON' } });
    return;
  }
  response.status(500).json({ error: { code: 'internal', message: 'internal server error' } });
}
