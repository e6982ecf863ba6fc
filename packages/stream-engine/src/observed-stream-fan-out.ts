import type { StreamEntry, StreamObserver, StreamFanOut } from '@pushline/domain';

/**
 * Wraps the publisher the outbox relay uses so every batch it hands to the broker is counted once
 * `publish` resolved. Neither the relay nor the broker needs to know about metrics.
 */
export class ObservedStreamFanOut implements StreamFanOut {
  constructor(
    private readonly inner: StreamFanOut,
    private readonly observer: StreamObserver,
  ) {}

  async fanOut(entries: readonly StreamEntry[]): Promise<void> {
    await this.inner.fanOut(entries);
    this.observer.published(entries);
  }
}
