import { randomUUID } from 'node:crypto';
import { anyEventTypeMatches, WEBHOOK_LIMITS, type DomainEvent } from '@pushline/domain';
import { Prisma } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * Which of an event's users an app may hear about. The seam for tenants and app installs (issue #10):
 * an app receives only events of its own tenant and of users who installed it. Until those exist,
 * `everyUserReachable` is the single-tenant rule: subscriptions are created by the operator.
 */
export interface WebhookAudiencePolicy {
  reachableUsers(tx: PrismaExecutor, owner: string, userIds: readonly string[]): Promise<readonly string[]>;
  /**
   * The same rule as SQL for the one-statement write path (single-statement-write.ts): `every` user, or
   * only users who `installed` the owner app. A policy without it sends every unit that stores events
   * through the interactive transaction.
   */
  readonly sqlRule?: 'every' | 'installed';
}

export const everyUserReachable: WebhookAudiencePolicy = { reachableUsers: async (_tx, _owner, userIds) => userIds, sqlRule: 'every' };

/**
 * The rule with tenants and apps: an app (the subscription's owner) hears only about users who installed
 * it. An installation exists only within the app's tenant, so this also keeps every other tenant out.
 */
export const installedUsersReachable: WebhookAudiencePolicy = {
  reachableUsers: async (tx, owner, userIds) => {
    if (userIds.length === 0) return [];
    const installed = await tx.appInstallation.findMany({ where: { appId: owner, userId: { in: [...userIds] } }, select: { userId: true } });
    const reachable = new Set(installed.map((i) => i.userId));
    return userIds.filter((u) => reachable.has(u));
  },
  sqlRule: 'installed',
};

/** Members asked of a code-only audience rule at a time, when a broadcast's reach is checked. */
const MEMBER_PAGE = 500;

/** What the one-statement write path needs to queue the deliveries `enqueue` would. */
export interface WebhookOutboxPlan {
  readonly firstDelayMs: number;
  readonly maxPayloadBytes: number;
  readonly installedOnly: boolean;
  /** Per event: the category whose stored `webhook` choice mutes it for a user, and the default. */
  readonly muteOf: (event: DomainEvent) => { readonly category: string; readonly webhookByDefault: boolean } | null;
}

export interface WebhookOutboxOptions {
  /** Wait before a new delivery's first attempt (the retry schedule's first entry, normally 0). */
  readonly firstDelayMs?: number;
  readonly audience?: WebhookAudiencePolicy;
  /** Envelopes above this are sent truncated (see `webhookPayload`). */
  readonly maxPayloadBytes?: number;
  /**
   * The rows (by index) whose user muted the `webhook` channel for what the event is about (their
   * notification preferences): those are delivered to no subscription. Asked once per batch, and only
   * when a subscription selects one of its events.
   */
  readonly mutedRows?: ((tx: PrismaExecutor, rows: readonly { readonly userId: string; readonly event: DomainEvent }[]) => Promise<ReadonlySet<number>>) & {
    /** The same rule for the one-statement write path (`webhookChannelMutes` has it); without it, units storing events take the transaction. */
    readonly muteOf?: (event: DomainEvent) => { readonly category: string; readonly webhookByDefault: boolean } | null;
  };
}

/**
 * Turns an outbox write into webhook deliveries, inside the same transaction: every committed event
 * that an enabled subscription selects becomes one pending delivery row, so nothing is lost between
 * the commit and the send (the workers take the rows from there).
 */
export class PrismaWebhookOutbox {
  constructor(private readonly options: WebhookOutboxOptions = {}) {}

  /** The rule as SQL for the one-statement write path; undefined when the audience exists only in code. */
  get plan(): WebhookOutboxPlan | undefined {
    const rule = (this.options.audience ?? everyUserReachable).sqlRule;
    if (!rule) return undefined;
    const muted = this.options.mutedRows;
    if (muted && !muted.muteOf) return undefined;
    return {
      firstDelayMs: this.options.firstDelayMs ?? 0,
      maxPayloadBytes: this.options.maxPayloadBytes ?? WEBHOOK_LIMITS.payloadMaxBytes,
      installedOnly: rule === 'installed',
      muteOf: muted?.muteOf ?? (() => null),
    };
  }

  /** Queues deliveries for `rows` (one per recipient user and event); returns how many. */
  async enqueue(tx: PrismaExecutor, rows: readonly { readonly userId: string; readonly event: DomainEvent }[]): Promise<number> {
    if (rows.length === 0) return 0;
    const subscriptions = await subscriptionsSelecting(tx, rows.map((r) => r.event));
    if (subscriptions.length === 0) return 0;
    if (this.options.mutedRows) {
      const muted = await this.options.mutedRows(tx, rows);
      rows = rows.filter((_, i) => !muted.has(i));
      if (rows.length === 0) return 0;
    }

    const usersOf = new Map<string, { event: DomainEvent; userIds: string[] }>();
    for (const { userId, event } of rows) {
      const entry = usersOf.get(event.id) ?? { event, userIds: [] };
      entry.userIds.push(userId);
      usersOf.set(event.id, entry);
    }
    const audience = this.options.audience ?? everyUserReachable;
    // One audience query per subscription owner for the whole batch, not one per (event, subscription).
    const everyUser = [...new Set(rows.map((r) => r.userId))];
    const reachableOf = new Map<string, Promise<Set<string>>>();
    const reachableBy = (owner: string) => {
      let reachable = reachableOf.get(owner);
      if (!reachable) reachableOf.set(owner, (reachable = audience.reachableUsers(tx, owner, everyUser).then((users) => new Set(users))));
      return reachable;
    };
    return this.queue(tx, [...usersOf.values()], subscriptions, async (s, { userIds }) => {
      const reachableUsers = await reachableBy(s.owner);
      const reachable = userIds.filter((u) => reachableUsers.has(u));
      return (s.userIds.length === 0 ? reachable : reachable.filter((u) => s.userIds.includes(u))).length > 0;
    });
  }

  /**
   * Queues deliveries for tenant broadcasts: one per (event, subscription), as `enqueue` does for an
   * event to many users. A broadcast goes to every member of the tenant, so a subscription takes it
   * when its owner may hear about one of them (an app: a member of the tenant installed it), among
   * its `userIds` when it names some. Mutes concern `notification.created` only, never a broadcast.
   */
  async enqueueBroadcast(tx: PrismaExecutor, tenantId: string, events: readonly DomainEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const subscriptions = await subscriptionsSelecting(tx, events);
    if (subscriptions.length === 0) return 0;
    const reaches = new Map<string, Promise<boolean>>();
    return this.queue(tx, events.map((event) => ({ event })), subscriptions, (s) => {
      const key = JSON.stringify([s.owner, s.userIds]);
      let answer = reaches.get(key);
      if (!answer) reaches.set(key, (answer = this.reachesTenant(tx, tenantId, s)));
      return answer;
    });
  }

  /** Whether the subscription's owner may hear about a member of the tenant (within its `userIds`). */
  private async reachesTenant(tx: PrismaExecutor, tenantId: string, s: SelectingSubscription): Promise<boolean> {
    const audience = this.options.audience ?? everyUserReachable;
    if (audience.sqlRule === 'installed') {
      // An installation of a disabled member does not count: that member receives nothing either.
      const named = s.userIds.length > 0 ? Prisma.sql`AND i.user_id = ANY(${s.userIds}::text[])` : Prisma.empty;
      const found = await tx.$queryRaw<unknown[]>`
        SELECT 1 FROM app_installations i JOIN users u ON u.id = i.user_id
        WHERE i.app_id = ${s.owner} AND i.tenant_id = ${tenantId} AND u.disabled_at IS NULL ${named} LIMIT 1`;
      return found.length > 0;
    }
    // A rule only in code is asked page by page (keyset on the id), so a large tenant is never loaded at once.
    let after: string | undefined;
    for (;;) {
      const page = await tx.user.findMany({
        where: { tenantId, disabledAt: null, id: { ...(s.userIds.length > 0 && { in: s.userIds }), ...(after !== undefined && { gt: after }) } },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: audience.sqlRule === 'every' ? 1 : MEMBER_PAGE,
      });
      if (page.length === 0) return false;
      if ((await audience.reachableUsers(tx, s.owner, page.map((m) => m.id))).length > 0) return true;
      if (page.length < MEMBER_PAGE) return false;
      after = page.at(-1)!.id;
    }
  }

  /** One pending delivery per (event, subscription whose patterns select it and that `takes` it). */
  private async queue<T extends { readonly event: DomainEvent }>(
    tx: PrismaExecutor,
    items: readonly T[],
    subscriptions: readonly SelectingSubscription[],
    takes: (subscription: SelectingSubscription, item: T) => Promise<boolean>,
  ): Promise<number> {
    const firstAttemptAt = new Date(Date.now() + (this.options.firstDelayMs ?? 0));
    const deliveries: { id: string; subscriptionId: string; eventId: string; eventType: string; payload: string; status: string; nextAttemptAt: Date }[] = [];
    for (const item of items) {
      const { event } = item;
      let payload: string | undefined;
      for (const s of subscriptions) {
        if (!anyEventTypeMatches(s.eventTypes, event.type) || !(await takes(s, item))) continue;
        payload ??= webhookPayload(event, this.options.maxPayloadBytes ?? WEBHOOK_LIMITS.payloadMaxBytes);
        deliveries.push({ id: randomUUID(), subscriptionId: s.id, eventId: event.id, eventType: event.type, payload, status: 'pending', nextAttemptAt: firstAttemptAt });
      }
    }
    if (deliveries.length > 0) await tx.webhookDelivery.createMany({ data: deliveries });
    return deliveries.length;
  }
}

interface SelectingSubscription {
  readonly id: string;
  readonly owner: string;
  readonly eventTypes: readonly string[];
  readonly userIds: string[];
}

/** Enabled subscriptions with a pattern that can select one of the events' types (GIN index on event_types). */
function subscriptionsSelecting(tx: PrismaExecutor, events: readonly DomainEvent[]): Promise<SelectingSubscription[]> {
  const patterns = [...new Set(events.flatMap((event) => patternsSelecting(event.type)))];
  return tx.webhookSubscription.findMany({
    where: { enabled: true, eventTypes: { hasSome: patterns } },
    select: { id: true, owner: true, eventTypes: true, userIds: true },
  });
}

/** Every pattern that selects `type`: `*`, each dotted prefix with `.*`, and the name itself. */
export function patternsSelecting(type: string): string[] {
  const parts = type.split('.');
  return ['*', ...parts.slice(0, -1).map((_, i) => `${parts.slice(0, i + 1).join('.')}.*`), type];
}

/**
 * The body posted: the CloudEvents envelope the stream carries, serialized once (pass `serialized` when
 * the caller has it). One above `maxBytes` is sent with `data: null` and the extension
 * `datatruncated: true`; the receiver fetches the rest.
 */
export function webhookPayload(event: DomainEvent, maxBytes: number, serialized = JSON.stringify(event)): string {
  // No byte count for a body too short to be over the limit: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (serialized.length * 3 <= maxBytes || Buffer.byteLength(serialized) <= maxBytes) return serialized;
  return JSON.stringify({ ...event, data: null, datatruncated: true });
}

/** The webhook body of an event already serialized as `envelope`, or null when it is the envelope itself. */
export function truncatedPayloadOf(event: DomainEvent, envelope: string, maxBytes: number): string | null {
  const body = webhookPayload(event, maxBytes, envelope);
  return body === envelope ? null : body;
}
