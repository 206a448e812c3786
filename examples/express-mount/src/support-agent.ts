/**
 * The support agent the shop adds: it answers about the caller's orders with two tools reading the same
 * order store as the Express routes. The caller comes from the run context (the shop's user), never from
 * the model, so it can only ever read the caller's orders.
 */
import { Agent, type Model, type RunContext, tool } from '@openai/agents';
import { chooseModel } from '@sightline/agents';
import { z } from 'zod';
import type { Order, OrderStore } from './order-store.ts';
import type { ShopUser } from './shop-users.ts';

function userOf(context: RunContext<ShopUser> | undefined): ShopUser {
  if (!context?.context?.userId) throw new Error('no user in the run context');
  return context.context;
}

function describe(order: Order): string {
  return `order ${order.id}: ${order.quantity} x ${order.item}, ${order.status}`;
}

/** Builds the support agent on the shop's order store. */
export function createSupportAgent(orders: OrderStore, model?: Model | string): Agent<ShopUser> {
  const listOrders = tool({
    name: 'list_orders',
    description: "List the customer's orders with their status.",
    parameters: z.object({}),
    execute: async (_input, context?: RunContext<ShopUser>) => {
      const user = userOf(context);
      const mine = orders.list(user.userId);
      if (mine.length === 0) return `${user.name} has no orders.`;
      return [`${user.name}'s orders:`, ...mine.map((order) => `- ${describe(order)}`)].join('\n');
    },
  });
  const orderStatus = tool({
    name: 'order_status',
    description: 'The status of one of the customer’s orders.',
    parameters: z.object({
      order: z.string().max(500).describe('The order number, e.g. "1001" or "#1001".'),
    }),
    execute: async ({ order }, context?: RunContext<ShopUser>) => {
      const user = userOf(context);
      const id = Number(/\d{3,}/.exec(order)?.[0]);
      const found = Number.isFinite(id) ? orders.get(user.userId, id) : undefined;
      return found ? `${user.name}'s ${describe(found)}` : `${user.name} has no order matching "${order}".`;
    },
  });
  return new Agent<ShopUser>({
    name: 'support',
    instructions: (runContext) =>
      `You are the shop's support assistant, talking with ${runContext.context.name}. ` +
      'Answer about their orders using your tools; never guess a status.',
    model: model ?? chooseModel().model,
    tools: [listOrders, orderStatus],
  });
}
