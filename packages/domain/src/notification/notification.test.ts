import { describe, expect, it } from '@jest/globals';
import { ConflictError, ValidationError } from '../shared/errors.js';
import { isInInbox } from './notification-state.js';
import { Notification, NOTIFICATION_LIMITS } from './notification.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);
/** `{"a":{"a":…1}}`, `levels` objects deep. */
const nested = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};
const base = { id: 'n1', tenantId: 't1', userId: 'u1', title: 'Hello', now };

describe('Notification', () => {
  it('starts unread, unseen, in the inbox, with normal priority, category test and a trimmed title', () => {
    const n = Notification.create({ ...base, title: '  Hello  ' }).toSnapshot();
    expect(n).toMatchObject({ priority: 'normal', category: 'test', source: 'user', title: 'Hello', body: '', data: null, action: null, seenAt: null, readAt: null });
    expect(isInInbox(n)).toBe(true);
  });

  it.each([
    ['title', { title: '   ' }],
    ['title', { title: 'x'.repeat(NOTIFICATION_LIMITS.titleMax + 1) }],
    ['body', { body: 'x'.repeat(NOTIFICATION_LIMITS.bodyMax + 1) }],
    ['data', { data: { blob: 'x'.repeat(NOTIFICATION_LIMITS.dataMaxBytes) } }],
    ['priority', { priority: 'critical' as never }],
    ['category', { category: 'Has Spaces' }],
    ['category', { category: 'x'.repeat(NOTIFICATION_LIMITS.categoryMax + 1) }],
    ['action.url', { action: { url: 'javascript:alert(1)', label: 'Open' } }],
    ['action.url', { action: { url: 'not a url', label: 'Open' } }],
    ['action.label', { action: { url: '/orders/1', label: ' ' } }],
    ['expiresAt', { expiresAt: now }],
    ['groupKey', { groupKey: 'g'.repeat(NOTIFICATION_LIMITS.groupKeyMax + 1) }],
    // Finding 3 of issue #9: 125 levels (779 bytes) made a 500.
    ['data', { data: nested(125) }],
    ['data', { data: nested(NOTIFICATION_LIMITS.dataMaxDepth + 1) }],
    ['data', { data: Object.fromEntries(Array.from({ length: NOTIFICATION_LIMITS.dataMaxKeys + 1 }, (_, i) => [`k${i}`, i])) }],
  ])('rejects a bad %s naming the field', (field, override) => {
    expect(() => Notification.create({ ...base, ...override })).toThrow(expect.objectContaining({ field, constructor: ValidationError }));
  });

  it('accepts the limits exactly, an action and a future expiry', () => {
    const n = Notification.create({
      ...base,
      data: nested(NOTIFICATION_LIMITS.dataMaxDepth),
      title: 'x'.repeat(NOTIFICATION_LIMITS.titleMax),
      body: 'y'.repeat(NOTIFICATION_LIMITS.bodyMax),
      priority: 'urgent',
      action: { url: 'https://shop.example/orders/1', label: 'Track', data: { orderId: 1 } },
      expiresAt: later(60),
      groupKey: 'order-1',
    }).toSnapshot();
    expect(n).toMatchObject({ priority: 'urgent', action: { label: 'Track' }, expiresAt: later(60), groupKey: 'order-1' });
  });

  it('reads (and thereby sees), reports no change the second time, and can be made unread', () => {
    const n = Notification.create(base);
    expect(n.markRead(later(1))).toBe('read');
    expect(n.markRead(later(2))).toBeNull();
    expect(n.toSnapshot()).toMatchObject({ readAt: later(1), seenAt: later(1), updatedAt: later(1) });
    expect(n.markUnread(later(3))).toBe('unread');
    expect(n.toSnapshot()).toMatchObject({ readAt: null, seenAt: later(1) });
    expect(n.status).toBe('unread');
  });

  it('clicking reads it; clicked stays clicked', () => {
    const n = Notification.create(base);
    expect(n.click(later(1))).toBe('clicked');
    expect(n.status).toBe('clicked');
    expect(n.click(later(2))).toBeNull();
  });

  it('archiving implies seen and ends a snooze; unarchiving restores the state as it was', () => {
    const n = Notification.create(base);
    n.snooze(later(100), later(1));
    expect(n.archive(later(2))).toBe('archived');
    expect(n.toSnapshot()).toMatchObject({ archivedAt: later(2), seenAt: later(2), readAt: null, snoozedUntil: null });
    expect(isInInbox(n.toSnapshot())).toBe(false);
    expect(n.unarchive(later(3))).toBe('unarchived');
    expect(n.toSnapshot()).toMatchObject({ archivedAt: null, seenAt: later(2), readAt: null });
    expect(n.unarchive(later(4))).toBeNull();
  });

  it('snoozes into the future only, not when archived, and wakes with null', () => {
    const n = Notification.create(base);
    expect(() => n.snooze(later(0), now)).toThrow(expect.objectContaining({ field: 'snoozedUntil' }));
    expect(n.snooze(later(60), now)).toBe('snoozed');
    expect(isInInbox(n.toSnapshot())).toBe(false);
    expect(n.snooze(null, later(1))).toBe('unsnoozed');
    expect(n.snooze(null, later(1))).toBeNull();
    n.archive(later(2));
    expect(() => n.snooze(later(60), later(3))).toThrow(ConflictError);
  });

  it('an expired notification cannot be seen, read, clicked or snoozed: 409 with the current state', () => {
    const n = Notification.create({ ...base, expiresAt: later(10) });
    // Past expiresAt counts as expired even before the worker marked it.
    expect(() => n.markRead(later(11))).toThrow(
      expect.objectContaining({ constructor: ConflictError, current: expect.objectContaining({ id: 'n1', status: 'unread', expiredAt: null }) }),
    );
    expect(n.expire(later(12))).toBe('expired');
    expect(n.expire(later(13))).toBeNull();
    for (const act of [() => n.markSeen(later(14)), () => n.click(later(14)), () => n.markUnread(later(14)), () => n.snooze(later(99), later(14))]) {
      expect(act).toThrow(ConflictError);
    }
    expect(n.archive(later(15))).toBe('archived');
    expect(n.softDelete(later(16))).toBe('deleted');
    expect(n.softDelete(later(17))).toBeNull();
    expect(n.isDeleted()).toBe(true);
  });
});
