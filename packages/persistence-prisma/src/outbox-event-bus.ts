import { defaultEventTypes, type DomainEvent, type EventBus, type EventTypeRegistry, type RoutedEvents, type StreamEntry } from '@pushline/domain';
import type { Prisma } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';
import { enqueueHandlerJobs, type HandlersOf, type InlineAudit } from './handler-job-outbox.js';
import type { PrismaWebhookOutbox } from './webhook-outbox.js';

/**
 * The EventBus of one unit of work: appends each event to the stream of every user in its audience,
 * inside the transaction, so events commit or roll back with the state change (transactional outbox).
 * The relay publishes the rows after commit.
 *
 * Events of `ephemeral` delivery are not stored: they are collected here and the unit of work hands
 * them to the broker after the commit (so a rolled-back unit pushes nothing).
 *
 * With `webhooks`, the stored events that subscriptions select become webhook deliveries in the same
 * transaction.
 */
export class OutboxEventBus implements EventBus {
  private readonly stored: StreamEntry[] = [];
  private readonly live: StreamEntry[] = [];

  private jobs = 0;
  private webhookDeliveries = 0;

  constructor(
    private readonly tx: PrismaExecutor,
    private readonly types: EventTypeRegistry = defaultEventTypes,
    /** Names of the event handlers subscribed to a type: each gets a job in `event_handler_jobs`. */
    private readonly handlersOf: HandlersOf = () => [],
    private readonly webhooks?: PrismaWebhookOutbox,
    /** The handler whose audit row is written with the event instead of a job (decision 57). */
    private readonly inlineAudit?: InlineAudit,
  ) {}

  /** Webhook deliveries queued so far: after commit, the unit of work nudges the workers when any were. */
  get queuedWebhookDeliveries(): number {
    return this.webhookDeliveries;
  }

  /** How many handler jobs this unit wrote (the unit of work nudges the handler worker after commit). */
  get handlerJobs(): number {
    return this.jobs;
  }

  /** Stream entries appended so far, with their cursors: the unit of work hands them on after commit. */
  get written(): readonly StreamEntry[] {
    return this.stored;
  }

  /** Ephemeral entries to push once the transaction has committed. */
  get ephemeral(): readonly StreamEntry[] {
    return this.live;
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    await this.append(this.types.route(events), events);
  }

  async publishTo(recipients: readonly string[], events: readonly DomainEvent[]): Promise<void> {
    await this.append(this.types.routeTo(recipients, events), events);
  }

  private async append({ stored: rows, ephemeral, aboutOnly }: RoutedEvents, events: readonly DomainEvent[]): Promise<void> {
    this.live.push(...ephemeral);
    await this.enqueueHandlerJobs(events);
    // Users an event is about without a stream row (a channel-only notification) are heard of by webhooks only.
    const about = aboutOnly.length === 0 ? rows : [...rows, ...aboutOnly];
    if (about.length === 0) return;
    await this.recordEvents(about.map((r) => r.event));
    if (rows.length > 0) await this.appendToStreams(rows);
    if (this.webhooks) this.webhookDeliveries += await this.webhooks.enqueue(this.tx, about);
  }

  /** One stream row per (recipient, event), under cursors reserved from each recipient's stream head. */
  private async appendToStreams(rows: RoutedEvents['stored']): Promise<void> {
    const perUser = new Map<string, number>();
    // The stream head carries its events' tenant, as the stream rows do.
    const tenantOf = new Map<string, string | null>();
    for (const { userId, event } of rows) {
      perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
      if (!tenantOf.has(userId)) tenantOf.set(userId, event.tenantid ?? null);
    }
    const nextCursor = new Map<string, bigint>();
    // Sorted, so two transactions with overlapping audiences take the row locks in the same order and
    // cannot deadlock each other.
    const sorted = [...perUser].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (sorted.length === 1) {
      const [[userId, count]] = sorted as [[string, number]];
      nextCursor.set(userId, (await this.reserveCursors(userId, tenantOf.get(userId)!, count)) - BigInt(count) + 1n);
    } else {
      for (const [userId, head] of await this.reserveCursorsOfMany(sorted, tenantOf)) nextCursor.set(userId, head - BigInt(perUser.get(userId)!) + 1n);
    }

    await this.tx.streamEvent.createMany({
      data: rows.map(({ userId, event }) => {
        const cursor = nextCursor.get(userId)!;
        nextCursor.set(userId, cursor + 1n);
        this.stored.push({ userId, cursor: Number(cursor), event });
        return {
          tenantId: event.tenantid ?? null,
          userId,
          cursor,
          eventId: event.id,
          type: event.type,
          envelope: event as unknown as Prisma.InputJsonObject,
        };
      }),
    });
    // Each entry unpublished until the relay deletes its outbox row (decision 61).
    const written = this.stored.slice(-rows.length);
    await this.tx.$executeRaw`
      INSERT INTO stream_outbox (seq)
      SELECT e.seq FROM stream_events e
      JOIN unnest(${written.map((w) => w.userId)}::text[], ${written.map((w) => w.cursor)}::bigint[]) AS m(user_id, cursor)
        ON e.user_id = m.user_id AND e.cursor = m.cursor`;
  }

  /** One job per (handler, event) in this transaction, or the inline audit row (handler-job-outbox.ts). */
  private async enqueueHandlerJobs(events: readonly DomainEvent[]): Promise<void> {
    this.jobs += await enqueueHandlerJobs(this.tx, this.types, this.handlersOf, events, this.inlineAudit);
  }

  /** One `events` row per distinct event (not per recipient): the operator's and the apps' event lists. */
  private async recordEvents(events: readonly DomainEvent[]): Promise<void> {
    const distinct = [...new Map(events.map((e) => [e.id, e])).values()];
    await this.tx.event.createMany({
      data: distinct.map((e) => ({
        id: e.id,
        tenantId: e.tenantid ?? null,
        appId: e.appid ?? null,
        type: e.type,
        subject: e.subject,
        envelope: e as unknown as Prisma.InputJsonObject,
        createdAt: new Date(e.time),
      })),
      skipDuplicates: true,
    });
  }

  /**
   * Raises the user's head cursor by `count` and returns the new head. The upsert locks the user's row
   * until commit, so a second writer for the same user waits here: cursors are gap-free and commit in
   * order, and a reader never sees cursor n+1 before n (a sequence would hand out numbers that commit
   * out of order).
   */
  private async reserveCursors(userId: string, tenantId: string | null, count: number): Promise<bigint> {
    const [row] = await this.tx.$queryRaw<{ head_cursor: bigint }[]>`
      INSERT INTO user_streams (user_id, tenant_id, head_cursor) VALUES (${userId}, ${tenantId}, ${count})
      ON CONFLICT (user_id) DO UPDATE SET head_cursor = user_streams.head_cursor + ${count}
      RETURNING head_cursor`;
    if (!row) throw new Error(`no stream row returned for user ${userId}`);
    return BigInt(row.head_cursor);
  }

  /**
   * `reserveCursors` for many users in one statement (a publish to 1,000 users is one round trip, not
   * 1,000). `ORDER BY` makes the insert take the row locks in user order, as the loop would.
   */
  private async reserveCursorsOfMany(sorted: readonly (readonly [string, number])[], tenantOf: ReadonlyMap<string, string | null>): Promise<Map<string, bigint>> {
    const rows = await this.tx.$queryRaw<{ user_id: string; head_cursor: bigint }[]>`
      INSERT INTO user_streams (user_id, tenant_id, head_cursor)
      SELECT u, t, n FROM unnest(${sorted.map(([u]) => u)}::text[], ${sorted.map(([u]) => tenantOf.get(u) ?? null)}::text[], ${sorted.map(([, n]) => n)}::int[]) AS t(u, t, n) ORDER BY u
      ON CONFLICT (user_id) DO UPDATE SET head_cursor = user_streams.head_cursor + EXCLUDED.head_cursor
      RETURNING user_id, head_cursor`;
    if (rows.length !== sorted.length) throw new Error(`expected ${sorted.length} stream rows, got ${rows.length}`);
    return new Map(rows.map((r) => [r.user_id, BigInt(r.head_cursor)]));
  }
}
