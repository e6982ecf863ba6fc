import type { AuditEntry, DomainEvent, EventTypeRegistry } from '@pushline/domain';
import type { Prisma } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

/** Names of the event handlers subscribed to a type (and, with an app id, to app events). */
export type HandlersOf = (type: string, appId?: string) => readonly string[];

/**
 * A handler whose whole effect is the event's audit row: the unit of work writes that row with the
 * event instead of a job for it (decision 57). The row commits with the event, so it is as durable as
 * the notification, and a create costs no job row, lease, run or "done" mark.
 */
export interface InlineAudit {
  /** The handler the row replaces (its jobs are still run for replays: the admin routes). */
  readonly handler: string;
  readonly entryOf: (event: DomainEvent) => AuditEntry;
}

/** What a unit of work writes for its events' handlers. */
export interface HandlerWrites {
  readonly jobs: { readonly handler: string; readonly event: DomainEvent }[];
  readonly audits: AuditEntry[];
}

/**
 * One job per (handler, event) for every stored event, and the audit row instead of the job for
 * the inline handler. Ephemeral events are never stored, so no handler sees them.
 */
export function handlerWritesOf(types: EventTypeRegistry, handlersOf: HandlersOf, events: readonly DomainEvent[], inlineAudit?: InlineAudit): HandlerWrites {
  const writes: HandlerWrites = { jobs: [], audits: [] };
  for (const event of events) {
    if (types.deliveryOf(event.type) === 'ephemeral') continue;
    for (const handler of handlersOf(event.type, event.appid)) {
      if (handler === inlineAudit?.handler) writes.audits.push(inlineAudit.entryOf(event));
      else writes.jobs.push({ handler, event });
    }
  }
  return writes;
}

/**
 * The transactional outbox of the event handlers: one job per (handler, event) in the caller's
 * transaction, whatever the number of recipients, for a user's stream and a tenant's alike, and the
 * inline handler's audit rows. Due at the event's time, so a worker on the same clock runs it at once.
 * Returns how many jobs were written.
 */
export async function enqueueHandlerJobs(tx: PrismaExecutor, types: EventTypeRegistry, handlersOf: HandlersOf, events: readonly DomainEvent[], inlineAudit?: InlineAudit): Promise<number> {
  const { jobs, audits } = handlerWritesOf(types, handlersOf, events, inlineAudit);
  if (audits.length > 0) {
    // The event id is the key: a replayed job for the same event keeps the one row.
    await tx.auditLogEntry.createMany({ data: audits.map((a) => ({ ...a, tenantId: a.tenantId ?? null })), skipDuplicates: true });
  }
  if (jobs.length === 0) return 0;
  await tx.eventHandlerJob.createMany({
    data: jobs.map(({ handler, event }) => ({
      handler,
      eventId: event.id,
      eventType: event.type,
      envelope: event as unknown as Prisma.InputJsonObject,
      runAt: new Date(event.time),
    })),
    skipDuplicates: true,
  });
  return jobs.length;
}
