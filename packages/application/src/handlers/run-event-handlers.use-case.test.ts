import { describe, expect, it } from '@jest/globals';
import type { DomainEvent, EventHandler, HandlerOutcome } from '@pushline/domain';
import { EventMother, FixedClock, InMemoryAuditLog, InMemoryHandlerJobQueue } from '@pushline/testing';
import { AuditLogHandler } from './audit-log.handler.js';
import { EventHandlerRegistry } from './event-handler-registry.js';
import { RunEventHandlers } from './run-event-handlers.use-case.js';

function handler(name: string, handles: string[], handle: (e: DomainEvent) => Promise<void>): EventHandler {
  return { name, handles, handle };
}

describe('RunEventHandlers', () => {
  function setup(handlers: EventHandler[], maxAttempts = 3) {
    const clock = new FixedClock('2026-06-01T00:00:00.000Z');
    const queue = new InMemoryHandlerJobQueue();
    const registry = new EventHandlerRegistry(handlers);
    const runs: [string, HandlerOutcome][] = [];
    const run = new RunEventHandlers(queue, registry, clock, { maxAttempts, baseBackoffMs: 1000 }, { onRun: (h, o) => void runs.push([h, o]) });
    const publish = (event: DomainEvent) => {
      for (const name of registry.subscribersOf(event.type)) queue.enqueue(name, { ...event, time: clock.now().toISOString() });
    };
    return { clock, queue, registry, runs, run, publish };
  }

  it('registers handlers by the types they handle, and refuses a name twice', () => {
    const a = handler('a', ['notification.read'], async () => {});
    const registry = new EventHandlerRegistry([a, handler('b', ['notification.read', 'notification.created'], async () => {})]);
    expect(registry.subscribersOf('notification.read')).toEqual(['a', 'b']);
    expect(registry.subscribersOf('order.paid')).toEqual([]);
    expect(() => registry.register(a)).toThrow('registered twice');
  });

  it('gives an app\'s events (any type, with an app id) to the handlers of app events too, once each', () => {
    const apps: EventHandler = { name: 'apps', handles: [], handlesAppEvents: true, handle: async () => {} };
    const registry = new EventHandlerRegistry([handler('a', ['wb.task.assigned'], async () => {}), apps]);
    expect(registry.subscribersOf('wb.task.assigned', 'app-1')).toEqual(['a', 'apps']);
    expect(registry.subscribersOf('wb.other', 'app-1')).toEqual(['apps']);
    expect(registry.subscribersOf('wb.other')).toEqual([]);
  });

  it('isolates a failing handler: the other runs, the failure is retried with doubling backoff, then dead-lettered', async () => {
    const seen: string[] = [];
    let failures = 0;
    const { clock, queue, runs, run, publish } = setup([
      handler('ok', ['notification.read'], async (e) => void seen.push(e.id)),
      handler('flaky', ['notification.read'], async () => {
        failures += 1;
        throw new Error(`smtp down #${failures}`);
      }),
    ]);
    const event = EventMother.read('u1');
    publish(event);

    await expect(run.execute()).resolves.toEqual({ ok: 1, retried: 1, dead: 0 });
    expect(seen).toEqual([event.id]);
    // Not due before the backoff (1 s), then due; the second delay doubles (2 s).
    clock.advance(999);
    await expect(run.execute()).resolves.toEqual({ ok: 0, retried: 0, dead: 0 });
    clock.advance(1);
    await expect(run.execute()).resolves.toEqual({ ok: 0, retried: 1, dead: 0 });
    clock.advance(1999);
    await expect(run.execute()).resolves.toEqual({ ok: 0, retried: 0, dead: 0 });
    clock.advance(1);
    await expect(run.execute()).resolves.toEqual({ ok: 0, retried: 0, dead: 1 });

    expect(runs).toEqual([['ok', 'ok'], ['flaky', 'retry'], ['flaky', 'retry'], ['flaky', 'dead']]);
    const [dead] = await queue.listDead({ limit: 10 });
    expect(dead).toMatchObject({ handler: 'flaky', attempts: 3, lastError: 'smtp down #3', event: { id: event.id } });
    expect(seen).toEqual([event.id]);
  });

  it('runs a replayed dead letter again', async () => {
    let fail = true;
    const handled: string[] = [];
    const { clock, queue, run, publish } = setup([handler('h', ['notification.read'], async (e) => {
      if (fail) throw new Error('no');
      handled.push(e.id);
    })], 1);
    publish(EventMother.read('u1'));
    await run.execute();
    const [dead] = await queue.listDead({ limit: 1 });

    fail = false;
    await queue.replay(dead!.id, clock.now());
    await expect(run.execute()).resolves.toEqual({ ok: 1, retried: 0, dead: 0 });
    expect(handled).toHaveLength(1);
  });

  it('dead-letters at once a job whose handler is no longer registered', async () => {
    const { queue, run, clock } = setup([]);
    queue.enqueue('gone', { ...EventMother.read('u1'), time: clock.now().toISOString() });
    await expect(run.execute()).resolves.toEqual({ ok: 0, retried: 0, dead: 1 });
    expect((await queue.listDead({ limit: 1 }))[0]?.lastError).toContain('no event handler named gone');
  });

  it('audits an event once however often it is handled', async () => {
    const log = new InMemoryAuditLog();
    const audit = new AuditLogHandler(log);
    const event = { ...EventMother.read('u1'), deviceid: 'phone', correlationid: 'req-1' };
    await audit.handle(event);
    await audit.handle(event);
    expect(await log.list({ userId: 'u1', limit: 10 })).toEqual([
      expect.objectContaining({ eventId: event.id, type: 'notification.read', userId: 'u1', deviceId: 'phone', correlationId: 'req-1' }),
    ]);
  });
});
