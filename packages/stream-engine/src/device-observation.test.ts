import { describe, expect, it } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import { EventMother, RecordingStreamObserver } from '@pushline/testing';
import { DeviceObservation } from './device-observation.js';

describe('DeviceObservation', () => {
  it('shows the user, the transport and the device, built once', () => {
    const observation = new DeviceObservation({ userId: 'u1', deviceId: 'phone' }, { transport: 'ws' }, new RecordingStreamObserver());
    expect(observation.stream).toEqual({ userId: 'u1', transport: 'ws', deviceId: 'phone' });
    expect(observation.stream).toBe(observation.stream);
  });

  it('names an unlabelled transport "unknown" and leaves out a missing device', () => {
    const observation = new DeviceObservation({ userId: 'u1' }, {}, new RecordingStreamObserver());
    expect(observation.stream).toEqual({ userId: 'u1', transport: 'unknown' });
    expect('deviceId' in observation.stream).toBe(false);
  });

  it('reports each delivery with its transport, replayed or live', () => {
    const observer = new RecordingStreamObserver();
    const observation = new DeviceObservation({ userId: 'u1' }, { transport: 'sse' }, observer);
    const entry = (cursor: number): StreamEntry => ({ userId: 'u1', cursor, event: EventMother.created('u1') });
    observation.delivered(entry(1), true);
    observation.delivered(entry(2), false);
    observer.assertDelivered({ replayed: [1], live: [2] });
    expect(observer.deliveries.map((d) => d.transport)).toEqual(['sse', 'sse']);
  });
});
