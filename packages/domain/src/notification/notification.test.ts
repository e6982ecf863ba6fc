import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../shared/errors.js';
import { Notification, NOTIFICATION_LIMITS } from './notification.js';

const now = new Date('2026-01-01T00:00:00Z');
/** `{"a":{"a":…1}}`, `levels` objects deep. */
const nested = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};
const base = { id: 'n1', userId: 'u1', title: 'Hello', now };

describe('Notification', () => {
  it('starts unread with normal priority and a trimmed title', () => {
    const n = Notification.create({ ...base, title: '  Hello  ' }).toSnapshot();
    expect(n).toMatchObject({ status: 'unread', priority: 'normal', title: 'Hello', body: '', data: null });
  });

  it.each([
    ['title', { title: '   ' }],
    ['title', { title: 'x'.repeat(NOTIFICATION_LIMITS.titleMax + 1) }],
    ['body', { body: 'x'.repeat(NOTIFICATION_LIMITS.bodyMax + 1) }],
    ['data', { data: { blob: 'x'.repeat(NOTIFICATION_LIMITS.dataMaxBytes) } }],
    // Finding 3 of issue #9: 125 levels (779 bytes) made a 500.
    ['data', { data: nested(125) }],
    ['data', { data: nested(NOTIFICATION_LIMITS.dataMaxDepth + 1) }],
    ['data', { data: Object.fromEntries(Array.from({ length: NOTIFICATION_LIMITS.dataMaxKeys + 1 }, (_, i) => [`k${i}`, i])) }],
  ])('rejects a bad %s naming the field', (field, override) => {
    expect(() => Notification.create({ ...base, ...override })).toThrow(
      expect.objectContaining({ field, constructor: ValidationError }),
    );
  });

  it('accepts the limits exactly', () => {
    const n = Notification.create({
      ...base,
      data: nested(NOTIFICATION_LIMITS.dataMaxDepth),
      title: 'x'.repeat(NOTIFICATION_LIMITS.titleMax),
      body: 'y'.repeat(NOTIFICATION_LIMITS.bodyMax),
    });
    expect(n.toSnapshot().title).toHaveLength(NOTIFICATION_LIMITS.titleMax);
  });

  it('reports whether a status change changed anything', () => {
    const n = Notification.create(base);
    const later = new Date('2026-01-02T00:00:00Z');
    expect(n.changeStatus('read', later)).toBe(true);
    expect(n.changeStatus('read', later)).toBe(false);
    expect(n.toSnapshot()).toMatchObject({ status: 'read', updatedAt: later });
  });
});
