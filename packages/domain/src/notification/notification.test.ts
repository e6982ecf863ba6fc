import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../shared/errors.js';
import { Notification, NOTIFICATION_LIMITS } from './notification.js';

const now = new Date('2026-01-01T00:00:00Z');
const base = { id: 'n1', tenantId: 't1', userId: 'u1', title: 'Hello', now };

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
  ])('rejects a bad %s naming the field', (field, override) => {
    expect(() => Notification.create({ ...base, ...override })).toThrow(
      expect.objectContaining({ field, constructor: ValidationError }),
    );
  });

  it('accepts the limits exactly', () => {
    const n = Notification.create({
      ...base,
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
