import type { DomainEvent, StreamEntry } from '@pushline/domain';

/** Records what one listener received; `waitFor(n)` resolves from inside the listener. */
export class Collector<T> {
  readonly received: T[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  readonly listener = (item: T): void => {
    this.received.push(item);
    this.waiters = this.waiters.filter((w) => (this.received.length >= w.count ? (w.resolve(), false) : true));
  };

  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  get entries(): readonly T[] {
    return this.received;
  }

  cursorsOf(this: Collector<StreamEntry>, userId: string): number[] {
    return this.received.filter((e) => e.userId === userId).map((e) => e.cursor);
  }
}

export function entry(userId: string, cursor: number, extra: Partial<DomainEvent> = {}): StreamEntry {
  return {
    userId,
    cursor,
    event: {
      specversion: '1.0',
      id: `${userId}-${cursor}`,
      source: '/pushline/contract',
      type: 'notification.read',
      dataversion: 1,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, cursor)).toISOString(),
      subject: `n-${cursor}`,
      datacontenttype: 'application/json',
      data: { notificationId: `n-${cursor}`, userId, status: 'read', changedAt: '2026-01-01T00:00:00.000Z' },
      ...extra,
    },
  };
}
