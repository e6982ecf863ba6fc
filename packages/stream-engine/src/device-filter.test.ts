import { describe, expect, it } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import { EventMother } from '@pushline/testing';
import { DeviceFilter } from './device-filter.js';
import { EventTypeFilter } from './event-type-filter.js';

function read(deviceid?: string): StreamEntry {
  const event = EventMother.read('u1');
  return { userId: 'u1', cursor: 1, event: deviceid ? { ...event, deviceid } : event };
}

const created: StreamEntry = { userId: 'u1', cursor: 2, event: EventMother.created('u1') };

describe('DeviceFilter', () => {
  it('wants every type when no types were asked for', () => {
    const filter = new DeviceFilter(EventTypeFilter.all, false, 'phone');
    expect([filter.wants(read()), filter.wants(created), filter.wants(read('phone'))]).toEqual([true, true, true]);
  });

  it('wants only the types asked for', () => {
    const filter = new DeviceFilter(EventTypeFilter.parse('notification.read'), false, undefined);
    expect([filter.wants(read()), filter.wants(created)]).toEqual([true, false]);
  });

  it("with excludeOwn, does not want the device's own entries, but other devices' ones", () => {
    const filter = new DeviceFilter(EventTypeFilter.all, true, 'phone');
    expect([filter.wants(read('phone')), filter.wants(read('laptop')), filter.wants(read())]).toEqual([false, true, true]);
  });

  it('with excludeOwn but no device id, wants everything (nothing can be its own)', () => {
    const filter = new DeviceFilter(EventTypeFilter.all, true, undefined);
    expect(filter.wants(read('phone'))).toBe(true);
  });

  it('withTypes changes the types and keeps excludeOwn and the device', () => {
    const before = new DeviceFilter(EventTypeFilter.all, true, 'phone');
    const after = before.withTypes(EventTypeFilter.parse('notification.*'));
    expect([after.wants(read('laptop')), after.wants(read('phone')), after.wants(created)]).toEqual([true, false, true]);
    expect(after.withTypes(EventTypeFilter.parse('order.*')).wants(created)).toBe(false);
    expect(before.wants(created)).toBe(true);
  });
});
