import type { DeviceSink, ObservedStream, StreamEntry, StreamObserver } from '@pushline/domain';

/**
 * What observers (metrics, logs) see of one device's stream. The view is built once, so reporting a
 * delivery on the hot path allocates nothing.
 */
export class DeviceObservation {
  readonly stream: ObservedStream;

  constructor(
    identity: { readonly userId: string; readonly deviceId?: string },
    sink: Pick<DeviceSink, 'transport'>,
    private readonly observer: StreamObserver,
  ) {
    this.stream = {
      userId: identity.userId,
      transport: sink.transport ?? 'unknown',
      ...(identity.deviceId !== undefined && { deviceId: identity.deviceId }),
    };
  }

  /** One entry written to the device, from a replay (read from the log) or live. */
  delivered(entry: StreamEntry, replaying: boolean): void {
    this.observer.delivered(entry, this.stream.transport, replaying);
  }
}
