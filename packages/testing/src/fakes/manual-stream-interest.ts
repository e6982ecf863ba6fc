import type { StreamInterest, StreamInterestLease } from '@pushline/domain';

/**
 * A StreamInterest whose subscriptions take effect when the test says so (`acknowledge`), like a
 * Redis SUBSCRIBE whose reply has not come yet; it counts leases per user for assertions.
 */
export class ManualStreamInterest implements StreamInterest {
  private readonly leases = new Map<string, number>();
  private pending: (() => void)[] = [];
  /** Every `watch` call, in order. */
  readonly watched: string[] = [];

  watch(userId: string): StreamInterestLease {
    this.watched.push(userId);
    this.leases.set(userId, (this.leases.get(userId) ?? 0) + 1);
    const ready = new Promise<void>((resolve) => this.pending.push(resolve));
    let released = false;
    return {
      ready,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.leases.get(userId) ?? 1) - 1;
        if (left > 0) this.leases.set(userId, left);
        else this.leases.delete(userId);
      },
    };
  }

  /** Makes every watch so far ready. */
  acknowledge(): void {
    for (const resolve of this.pending.splice(0)) resolve();
  }

  /** Users with at least one lease held. */
  get watching(): string[] {
    return [...this.leases.keys()].sort();
  }
}
