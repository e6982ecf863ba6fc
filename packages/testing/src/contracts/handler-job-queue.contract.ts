import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { AuditLog, DomainEvent, HandlerJobQueue } from '@pushline/domain';
import { EventMother } from '../mothers/event.mother.js';

export interface HandlerJobQueueUnderTest {
  readonly queue: HandlerJobQueue;
  readonly auditLog: AuditLog;
  /** Writes one job for (handler, event) the way the adapter's outbox does. */
  enqueue(handler: string, event: DomainEvent): Promise<void>;
  teardown?(): Promise<void>;
}

/**
 * The handler queue and the audit log every adapter must provide. Jobs are due at their event's time;
 * each test uses a handler name of its own, so adapters may share one database.
 */
export function describeHandlerJobQueueContract(name: string, setup: () => HandlerJobQueueUnderTest | Promise<HandlerJobQueueUnderTest>): void {
  describe(`${name} (HandlerJobQueue and AuditLog contract)`, () => {
    let subject: HandlerJobQueueUnderTest;
    const t0 = new Date('2026-06-01T00:00:00.000Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const event = () => ({ ...EventMother.read(randomUUID()), time: t0.toISOString() });

    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    const mine = <T extends { handler: string }>(handler: string, jobs: readonly T[]): T[] => jobs.filter((j) => j.handler === handler);

    it('hands out each job once, leased until it is done or the lease ends', async () => {
      const handler = `h-${randomUUID()}`;
      const e = event();
      await subject.enqueue(handler, e);

      const first = mine(handler, await subject.queue.claim(at(1), 1000, at(61)));
      expect(first).toEqual([expect.objectContaining({ handler, attempts: 1, event: e })]);
      expect(mine(handler, await subject.queue.claim(at(2), 1000, at(62)))).toEqual([]);
      // The worker died: after the lease the job is handed out again.
      expect(mine(handler, await subject.queue.claim(at(61), 1000, at(121)))).toEqual([expect.objectContaining({ attempts: 2 })]);
      await subject.queue.complete(first[0]!.id, at(62));
      expect(mine(handler, await subject.queue.claim(at(500), 1000, at(560)))).toEqual([]);
    });

    it('retries at the given time, dead-letters with the error, and replays a dead letter', async () => {
      const handler = `h-${randomUUID()}`;
      await subject.enqueue(handler, event());
      const [job] = mine(handler, await subject.queue.claim(at(1), 1000, at(61)));

      await subject.queue.fail(job!.id, 'smtp down', at(10), at(2));
      expect(mine(handler, await subject.queue.claim(at(9), 1000, at(69)))).toEqual([]);
      const [retry] = mine(handler, await subject.queue.claim(at(10), 1000, at(70)));
      await subject.queue.fail(retry!.id, 'still down', null, at(11));

      const dead = await subject.queue.listDead({ handler, limit: 10 });
      expect(dead).toEqual([expect.objectContaining({ id: job!.id, handler, attempts: 2, lastError: 'still down', failedAt: at(11) })]);
      expect(mine(handler, await subject.queue.claim(at(1000), 1000, at(1060)))).toEqual([]);
      await expect(subject.queue.replay(job!.id, at(20))).resolves.toBe(true);
      await expect(subject.queue.replay(job!.id, at(20))).resolves.toBe(false);
      expect(mine(handler, await subject.queue.claim(at(20), 1000, at(80)))).toEqual([expect.objectContaining({ attempts: 1 })]);
      await expect(subject.queue.listDead({ handler, limit: 10 })).resolves.toEqual([]);
    });

    it('removes succeeded jobs older than the cutoff in bounded batches, keeping pending, leased and dead ones', async () => {
      // A window of its own (2001): other tests complete their jobs in 2026, so the counts are this test's.
      const old = new Date('2001-01-01T00:00:00.000Z');
      const o = (s: number) => new Date(old.getTime() + s * 1000);
      const handler = `h-${randomUUID()}`;
      const events = Array.from({ length: 5 }, () => ({ ...EventMother.read(randomUUID()), time: old.toISOString() }));
      for (const e of events) await subject.enqueue(handler, e);
      const jobs = mine(handler, await subject.queue.claim(o(1), 1000, o(61)));
      expect(jobs).toHaveLength(5);
      const [a, b, c, dead] = jobs;
      await subject.queue.complete(a!.id, o(2));
      await subject.queue.complete(b!.id, o(3));
      await subject.queue.complete(c!.id, o(4));
      await subject.queue.fail(dead!.id, 'broken', null, o(2));
      // jobs[4] stays leased (pending): never removed, whatever its age.

      await expect(subject.queue.purgeDone(o(3.5), 1)).resolves.toBe(1);
      await expect(subject.queue.purgeDone(o(3.5), 1)).resolves.toBe(1);
      await expect(subject.queue.purgeDone(o(3.5), 1)).resolves.toBe(0);
      await expect(subject.queue.purgeDone(o(1000), 10)).resolves.toBe(1);
      await expect(subject.queue.purgeDone(o(1000), 10)).resolves.toBe(0);

      expect((await subject.queue.listDead({ handler, limit: 10 })).map((d) => d.id)).toEqual([dead!.id]);
      // The leased one is still there: once its lease ran out it is handed out again.
      expect(mine(handler, await subject.queue.claim(o(61), 1000, o(121)))).toEqual([expect.objectContaining({ id: jobs[4]!.id, attempts: 2 })]);
    });

    it('purges a dead letter for good, and nothing that is not dead', async () => {
      const handler = `h-${randomUUID()}`;
      await subject.enqueue(handler, event());
      await subject.enqueue(handler, event());
      const [dead, pending] = mine(handler, await subject.queue.claim(at(1), 1000, at(61)));
      await subject.queue.fail(dead!.id, 'broken', null, at(2));

      await expect(subject.queue.purgeDead(pending!.id)).resolves.toBe(false);
      await expect(subject.queue.purgeDead('999999999999')).resolves.toBe(false);
      await expect(subject.queue.purgeDead(dead!.id)).resolves.toBe(true);
      await expect(subject.queue.purgeDead(dead!.id)).resolves.toBe(false);
      await expect(subject.queue.listDead({ handler, limit: 10 })).resolves.toEqual([]);
      await expect(subject.queue.replay(dead!.id, at(3))).resolves.toBe(false);
      expect(mine(handler, await subject.queue.claim(at(61), 1000, at(121)))).toEqual([expect.objectContaining({ id: pending!.id })]);
    });

    it('keeps one audit entry per event id and lists newest first, by user and type', async () => {
      const userId = randomUUID();
      const entry = (eventId: string, type: string, s: number) => ({ eventId, type, userId, subject: 'n1', deviceId: 'phone', correlationId: null, source: '/t', occurredAt: at(s) });
      await subject.auditLog.record(entry('e1', 'notification.read', 1));
      await subject.auditLog.record(entry('e1', 'notification.read', 1));
      await subject.auditLog.record(entry('e2', 'notification.archived', 2));

      expect((await subject.auditLog.list({ userId, limit: 10 })).map((e) => e.eventId)).toEqual(['e2', 'e1']);
      expect(await subject.auditLog.list({ userId, type: 'notification.read', limit: 10 })).toEqual([entry('e1', 'notification.read', 1)]);
      expect(await subject.auditLog.list({ userId, before: at(2), limit: 10 })).toHaveLength(1);
    });
  });
}
