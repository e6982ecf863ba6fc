import type { DomainEvent, EventTypeRegistry } from '@pushline/domain';
import type { Prisma } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

/** Names of the event handlers subscribed to a type (and, with an app id, to app events). */
export type HandlersOf = (type: string, appId?: string) => readonly string[];

/**
 * The transactional outbox of the event handlers: one job per (handler, event) in the caller's
 * transaction, whatever the number of recipients, for a user's stream and a tenant's alike.
 * Ephemeral events are never stored, so no handler sees them. Due at the event's time, so a worker
 * on the same clock runs it at once. Returns how many jobs were written.
 */
export async function enqueueHandlerJobs(tx: PrismaExecutor, types: EventTypeRegistry, handlersOf: HandlersOf, events: readonly DomainEvent[]): Promise<number> {
  const jobs = events.flatMap((event) =>
    types.deliveryOf(event.type) === 'ephemeral'
      ? []
      : handlersOf(event.type, event.appid).map((handler) => ({
          handler,
          eventId: event.id,
          eventType: event.type,
          envelope: event as unknown as Prisma.InputJsonObject,
          runAt: new Date(event.time),
        })),
  );
  if (jobs.length === 0) return 0;
  await tx.eventHandlerJob.createMany({ data: jobs, skipDuplicates: true });
  return jobs.length;
}
