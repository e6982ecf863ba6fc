import type { DeviceSink } from '@pushline/domain';

/**
 * When a device is cut as a slow consumer: its connection holds more unsent bytes than the limit.
 * Checked after every write and on every heartbeat (a reader that stopped reading writes nothing,
 * but its buffer stays full).
 */
export class SlowConsumerPolicy {
  constructor(private readonly maxBufferedBytes: number) {}

  isSlow(sink: Pick<DeviceSink, 'bufferedBytes'>): boolean {
    return sink.bufferedBytes > this.maxBufferedBytes;
  }
}
