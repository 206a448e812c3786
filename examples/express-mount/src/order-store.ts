/** The shop's orders (in memory, for the example): each user sees only their own. */

export type OrderStatus = 'received' | 'packed' | 'shipped' | 'delivered';

export interface Order {
  id: number;
  userId: string;
  item: string;
  quantity: number;
  status: OrderStatus;
  createdAt: string;
}

/** Orders by id; ids start at 1001. */
export class OrderStore {
  readonly #orders = new Map<number, Order>();
  #nextId = 1001;

  /** Places an order for a user. */
  create(userId: string, item: string, quantity: number): Order {
    const order: Order = {
      id: this.#nextId++,
      userId,
      item,
      quantity,
      status: 'received',
      createdAt: new Date().toISOString(),
    };
    this.#orders.set(order.id, order);
    return order;
  }

  /** A user's orders, oldest first. */
  list(userId: string): Order[] {
    return [...this.#orders.values()].filter((order) => order.userId === userId);
  }

  /** One of the user's orders; undefined when it does not exist or is someone else's. */
  get(userId: string, id: number): Order | undefined {
    const order = this.#orders.get(id);
    return order?.userId === userId ? order : undefined;
  }

  /** Moves an order on (what the warehouse does). */
  advance(id: number, status: OrderStatus): void {
    const order = this.#orders.get(id);
    if (order) order.status = status;
  }
}
