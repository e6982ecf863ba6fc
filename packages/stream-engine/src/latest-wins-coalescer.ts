import { defaultEventTypes, type DeliveryPolicy, type StreamEntry } from '@pushline/domain';

const DEFAULT_LOW_WATER_BYTES = 64 * 1024;

export interface LatestWinsOptions {
  /**
   * Above this many unsent bytes a device counts as behind: a live `latest-wins` entry is then not
   * written at once but read back from the log after the buffer drains, newest per (type, subject)
   * only. Default 64 KiB.
   */
  readonly latestWinsLowWaterBytes?: number;
  /** Delivery policy of an event type; the default reads the domain's catalog. */
  readonly deliveryOf?: (type: string) => DeliveryPolicy;
}

/**
 * The `latest-wins` delivery policy: a device that is behind needs only the newest value per
 * (type, subject), so older ones are passed over. Live entries of such a device are held back and
 * read from the log once its buffer drains; within one page read from the log, a later entry of the
 * same (type, subject) replaces an earlier one.
 */
export class LatestWinsCoalescer {
  private readonly lowWaterBytes: number;
  private readonly deliveryOf: (type: string) => DeliveryPolicy;

  constructor(options: LatestWinsOptions = {}) {
    this.lowWaterBytes = options.latestWinsLowWaterBytes ?? DEFAULT_LOW_WATER_BYTES;
    this.deliveryOf = options.deliveryOf ?? ((type) => defaultEventTypes.deliveryOf(type));
  }

  /** Whether a live entry should wait for the log: the device is behind and the entry can be replaced. */
  holdsBack(entry: StreamEntry, bufferedBytes: number): boolean {
    return bufferedBytes > this.lowWaterBytes && this.deliveryOf(entry.event.type) === 'latest-wins';
  }

  /** Latest-wins entries of a page that a later entry of the same (type, subject) in that page replaces. */
  supersededIn(page: readonly StreamEntry[]): Set<StreamEntry> {
    const superseded = new Set<StreamEntry>();
    const newest = new Set<string>();
    for (let i = page.length - 1; i >= 0; i -= 1) {
      const entry = page[i]!;
      if (this.deliveryOf(entry.event.type) !== 'latest-wins') continue;
      const key = `${entry.event.type}\u0000${entry.event.subject}`;
      if (newest.has(key)) superseded.add(entry);
      else newest.add(key);
    }
    return superseded;
  }
}
