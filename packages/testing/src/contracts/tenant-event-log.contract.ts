import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { DomainEvent, TenantEventLog } from '@pushline/domain';
import { EventMother } from '../mothers/event.mother.js';

export interface TenantEventLogUnderTest {
  readonly log: TenantEventLog;
  /** Broadcasts the events to the tenant and commits them, as a unit of work would. */
  broadcast(tenantId: string, events: readonly DomainEvent[]): Promise<void>;
  /** Removes the tenant's entries up to and including `cursor`, as retention would. */
  trimThrough(tenantId: string, cursor: number): Promise<void>;
  teardown?(): Promise<void>;
}

const broadcastEvent = (tenantId: string): DomainEvent => ({ ...EventMother.read(randomUUID()), type: 'maintenance.scheduled', tenantid: tenantId });

/**
 * The behaviour every TenantEventLog adapter must show (the tenants' shared broadcast streams). Each
 * test works on tenants of its own, so an adapter may share one database across the suite.
 */
export function describeTenantEventLogContract(name: string, setup: () => TenantEventLogUnderTest | Promise<TenantEventLogUnderTest>): void {
  describe(`${name} (TenantEventLog contract)`, () => {
    let subject: TenantEventLogUnderTest;

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    const cursorsOf = async (tenantId: string, after = 0, limit = 1_000) => (await subject.log.readAfter(tenantId, after, limit)).map((e) => e.cursor);

    it('has an empty stream for a tenant that never broadcast', async () => {
      const tenantId = randomUUID();
      await expect(subject.log.readAfter(tenantId, 0, 10)).resolves.toEqual([]);
      await expect(subject.log.headCursor(tenantId)).resolves.toBe(0);
      await expect(subject.log.oldestRetainedCursor(tenantId)).resolves.toBeNull();
    });

    it('numbers broadcasts 1, 2, 3… per tenant and reads them after a cursor, marked with the tenant', async () => {
      const tenantId = randomUUID();
      const events = [broadcastEvent(tenantId), broadcastEvent(tenantId), broadcastEvent(tenantId)];
      await subject.broadcast(tenantId, events.slice(0, 2));
      await subject.broadcast(tenantId, events.slice(2));

      await expect(subject.log.readAfter(tenantId, 0, 10)).resolves.toEqual(
        events.map((event, i) => ({ userId: '', tenantStream: tenantId, cursor: i + 1, event })),
      );
      await expect(cursorsOf(tenantId, 1, 1)).resolves.toEqual([2]);
      await expect(subject.log.headCursor(tenantId)).resolves.toBe(3);
    });

    it("keeps each tenant's stream separate", async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await subject.broadcast(a, [broadcastEvent(a), broadcastEvent(a)]);
      await subject.broadcast(b, [broadcastEvent(b)]);
      await expect(cursorsOf(a)).resolves.toEqual([1, 2]);
      await expect(cursorsOf(b)).resolves.toEqual([1]);
      expect((await subject.log.readAfter(b, 0, 10)).every((e) => e.tenantStream === b && e.event.tenantid === b)).toBe(true);
    });

    it('after a trim, reports the oldest retained cursor and continues numbering from the head', async () => {
      const tenantId = randomUUID();
      await subject.broadcast(tenantId, [broadcastEvent(tenantId), broadcastEvent(tenantId), broadcastEvent(tenantId)]);
      await subject.trimThrough(tenantId, 2);

      await expect(subject.log.oldestRetainedCursor(tenantId)).resolves.toBe(3);
      await expect(cursorsOf(tenantId)).resolves.toEqual([3]);
      await subject.broadcast(tenantId, [broadcastEvent(tenantId)]);
      await expect(cursorsOf(tenantId)).resolves.toEqual([3, 4]);
      await expect(subject.log.headCursor(tenantId)).resolves.toBe(4);
    });
  });
}
