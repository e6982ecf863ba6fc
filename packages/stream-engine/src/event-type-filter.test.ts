import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@pushline/domain';
import { EventTypeFilter } from './event-type-filter.js';

describe('EventTypeFilter', () => {
  it.each([undefined, '', ' , ,'])('matches every type when no pattern is given (%p)', (raw) => {
    const filter = EventTypeFilter.parse(raw);
    expect(filter.matches('notification.created')).toBe(true);
    expect(filter.matches('order.shipped')).toBe(true);
  });

  it('matches exact names only', () => {
    const filter = EventTypeFilter.parse('notification.read, order.shipped');
    expect(filter.matches('notification.read')).toBe(true);
    expect(filter.matches('order.shipped')).toBe(true);
    expect(filter.matches('notification.created')).toBe(false);
    expect(filter.matches('notification.read.v2')).toBe(false);
  });

  it('matches a dotted prefix, segment by segment', () => {
    const filter = EventTypeFilter.parse('notification.*');
    expect(filter.matches('notification.created')).toBe(true);
    expect(filter.matches('notification.read')).toBe(true);
    expect(filter.matches('notifications.created')).toBe(false);
    expect(filter.matches('notification')).toBe(false);
    expect(filter.matches('order.shipped')).toBe(false);
  });

  it('combines exact names and prefixes', () => {
    const filter = EventTypeFilter.parse('order.shipped,notification.*');
    expect(['notification.dismissed', 'order.shipped', 'order.paid'].map((t) => filter.matches(t))).toEqual([
      true,
      true,
      false,
    ]);
  });

  it.each(['*', 'Notification.created', 'notification.', 'notification.*.read', 'notification..read', 'a b', '.x'])(
    'rejects %p naming the types field',
    (raw) => {
      expect(() => EventTypeFilter.parse(raw)).toThrow(expect.objectContaining({ field: 'types', constructor: ValidationError }));
    },
  );

  it('accepts up to 50 patterns', () => {
    const patterns = (n: number) => Array.from({ length: n }, (_, i) => `t${i}.x`).join(',');
    expect(EventTypeFilter.parse(patterns(50)).matches('t49.x')).toBe(true);
    expect(() => EventTypeFilter.parse(patterns(51))).toThrow(expect.objectContaining({ field: 'types' }));
  });
});
