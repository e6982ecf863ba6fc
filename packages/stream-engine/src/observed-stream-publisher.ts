import type { StreamEntry, StreamObserver, StreamPublisher } from '@pushline/domain';

/**
 * Wraps the publisher the outbox relay uses so every batch it hands to the broker is counted once
 * `publish` resolved. Neither the relay nor the broker needs to know about metrics.
 */
export class ObservedStreamPublisher implements StreamPublisher {
  constructor(
    private readonly inner: StreamPublisher,
    private readonly observer: StreamObserver,
  ) {}

  async publish(entries: readonly StreamEntry[]): Promise<void> {
    await this.inner.publish(entries);
    this.observer.published(entries);
  }
}
