import { describe, expect, it } from '@jest/globals';
import {
  EventFactory,
  notificationCreated,
  notificationUnreadCount,
  type DeliveryPolicy,
  type DomainEvent,
  type StreamEntry,
} from '@pushline/domain';
import { FixedClock, SequentialIdGenerator } from '@pushline/testing';
import { LatestWinsCoalescer } from './latest-wins-coalescer.js';

const clock = new FixedClock(new Date('2026-05-01T10:00:00Z'));
const factory = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
let cursor = 0;

function entry(event: DomainEvent): StreamEntry {
  cursor += 1;
  return { userId: 'u1', cursor, event };
}

function unread(count: number, subject = 'u1'): StreamEntry {
  return entry(factory.create(notificationUnreadCount, subject, { userId: 'u1', unread: count, at: clock.now().toISOString() }));
}

function created(id: string): StreamEntry {
  const createdAt = clock.now().toISOString();
  return entry(factory.create(notificationCreated, id, { notificationId: id, userId: 'u1', title: 't', body: '', priority: 'normal', data: null, createdAt }));
}

describe('LatestWinsCoalescer', () => {
  describe('holdsBack (a live entry waits for the log)', () => {
    const coalescer = new LatestWinsCoalescer({ latestWinsLowWaterBytes: 100 });

    it('holds back a latest-wins entry only once the device is above the low-water mark', () => {
      const value = unread(1);
      expect(coalescer.holdsBack(value, 100)).toBe(false);
      expect(coalescer.holdsBack(value, 101)).toBe(true);
    });

    it('never holds back a must-deliver entry, however far behind', () => {
      expect(coalescer.holdsBack(created('n1'), 1_000_000)).toBe(false);
    });

    it('defaults the low-water mark to 64 KiB and the policies to the catalog', () => {
      const defaults = new LatestWinsCoalescer();
      expect(defaults.holdsBack(unread(1), 64 * 1024)).toBe(false);
      expect(defaults.holdsBack(unread(1), 64 * 1024 + 1)).toBe(true);
      expect(defaults.holdsBack(created('n2'), 64 * 1024 + 1)).toBe(false);
    });

    it("asks the given lookup for a type's policy", () => {
      const asked: string[] = [];
      const deliveryOf = (type: string): DeliveryPolicy => {
        asked.push(type);
        return 'latest-wins';
      };
      const custom = new LatestWinsCoalescer({ latestWinsLowWaterBytes: 0, deliveryOf });
      expect(custom.holdsBack(created('n3'), 1)).toBe(true);
      expect(asked).toEqual(['notification.created']);
    });
  });

  describe('supersededIn (a page read from the log)', () => {
    const coalescer = new LatestWinsCoalescer();

    it('keeps only the newest latest-wins value per (type, subject), and every must-deliver entry', () => {
      const page = [unread(1), created('n1'), unread(2), unread(7, 'other'), created('n2'), unread(3)];
      const superseded = coalescer.supersededIn(page);
      expect(page.filter((e) => superseded.has(e)).map((e) => e.cursor)).toEqual([page[0]!.cursor, page[2]!.cursor]);
    });

    it('supersedes nothing in a page without repeats', () => {
      expect(coalescer.supersededIn([unread(1), unread(2, 'other'), created('n1')]).size).toBe(0);
      expect(coalescer.supersededIn([]).size).toBe(0);
    });
  });
});
