import { defaultEventTypes, type DomainEvent, type EventTypeRegistry, type StreamEntry, type TenantBroadcastBus } from '@pushline/domain';
import type { Prisma } from './generated/prisma/client.js';
import { enqueueHandlerJobs, type HandlersOf, type InlineAudit } from './handler-job-outbox.js';
import type { PrismaExecutor } from './prisma-executor.js';
import type { PrismaWebhookOutbox } from './webhook-outbox.js';

export interface TenantBroadcastOutboxOptions {
  readonly types?: EventTypeRegistry;
  /** The event handlers of a type: each gets ONE job per broadcast event, as for a personal event. */
  readonly handlersOf?: HandlersOf;
  /** The handler whose audit row is written with the event instead of a job. */
  readonly inlineAudit?: InlineAudit;
  /** Queues one delivery per subscription that selects the event and reaches the tenant. */
  readonly webhooks?: PrismaWebhookOutbox;
}

/**
 * The tenant broadcasts of one unit of work: each event becomes ONE row of the tenant's shared stream
 * (and one in the `events` archive), in the transaction, whatever the tenant's size. The cursor is
 * taken like a user's: the upsert on `tenant_streams` locks the tenant's row until commit, so cursors
 * are gap-free and become visible in order. The relay publishes the rows after commit.
 *
 * The event handlers' jobs and the webhook deliveries are written in the same transaction, per event
 * (never per member), exactly as `OutboxEventBus` writes them for a personal event.
 */
export class OutboxTenantBroadcastBus implements TenantBroadcastBus {
  private readonly stored: StreamEntry[] = [];
  private jobs = 0;
  private webhookDeliveries = 0;

  constructor(
    private readonly tx: PrismaExecutor,
    private readonly options: TenantBroadcastOutboxOptions = {},
  ) {}

  /** Handler jobs written so far (the unit of work nudges the handler worker after commit). */
  get handlerJobs(): number {
    return this.jobs;
  }

  /** Webhook deliveries queued so far (the unit of work nudges the delivery worker after commit). */
  get queuedWebhookDeliveries(): number {
    return this.webhookDeliveries;
  }

  /** Entries appended so far, with their tenant cursors: handed to the relay after commit. */
  get written(): readonly StreamEntry[] {
    return this.stored;
  }

  async broadcast(tenantId: string, events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const [row] = await this.tx.$queryRaw<{ head_cursor: bigint }[]>`
      INSERT INTO tenant_streams (tenant_id, head_cursor) VALUES (${tenantId}, ${events.length})
      ON CONFLICT (tenant_id) DO UPDATE SET head_cursor = tenant_streams.head_cursor + ${events.length}
      RETURNING head_cursor`;
    if (!row) throw new Error(`no stream row returned for tenant ${tenantId}`);
    let cursor = BigInt(row.head_cursor) - BigInt(events.length) + 1n;
    const rows = events.map((event) => {
      const entry: StreamEntry = { userId: '', tenantStream: tenantId, cursor: Number(cursor), event };
      this.stored.push(entry);
      return { tenantId, cursor: cursor++, eventId: event.id, type: event.type, envelope: event as unknown as Prisma.InputJsonObject };
    });
    await this.tx.tenantStreamEvent.createMany({ data: rows });
    // The one-row-per-event archive, as OutboxEventBus writes it: the operator's event queries see broadcasts.
    await this.tx.event.createMany({
      data: events.map((e) => ({
        id: e.id,
        tenantId,
        appId: e.appid ?? null,
        type: e.type,
        subject: e.subject,
        envelope: e as unknown as Prisma.InputJsonObject,
        createdAt: new Date(e.time),
      })),
      skipDuplicates: true,
    });
    this.jobs += await enqueueHandlerJobs(this.tx, this.options.types ?? defaultEventTypes, this.options.handlersOf ?? (() => []), events, this.options.inlineAudit);
    if (this.options.webhooks) this.webhookDeliveries += await this.options.webhooks.enqueueBroadcast(this.tx, tenantId, events);
  }
}
