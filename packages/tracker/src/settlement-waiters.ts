/**
 * The promises `flush()` waits on: each waits until every event up to its target sequence number
 * is settled (acknowledged, refused or dropped), or until its timeout.
 */
export class SettlementWaiters {
  private waiters: Array<{ target: number; resolve: (settled: boolean) => void }> = [];

  get size(): number {
    return this.waiters.length;
  }

  /**
   * Resolves true once `minUnsettled()` passes `target`, false at the timeout. The timer is
   * deliberately ref'd: a caller awaiting flush() keeps the process alive until it resolves.
   */
  wait(target: number, timeoutMs: number, minUnsettled: () => number): Promise<boolean> {
    if (minUnsettled() > target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        target,
        resolve: (settled: boolean) => {
          clearTimeout(timer);
          resolve(settled);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Resolves every waiter whose target is now settled. */
  check(minUnsettled: number): void {
    if (this.waiters.length === 0) return;
    const remaining = [];
    for (const waiter of this.waiters) {
      if (minUnsettled > waiter.target) waiter.resolve(true);
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }

  /** Resolves every waiter with false (the exporter stopped). */
  cancelAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter.resolve(false);
  }
}
