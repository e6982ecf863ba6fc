import {
  anyEventTypeMatches,
  NotFoundError,
  ValidationError,
  type AppInstallationRepository,
  type AppRepository,
  type Clock,
  type DomainEvent,
  type EventArchive,
  type WebhookDeliveryLog,
  type WebhookSubscriptionRepository,
  type WebhookSubscriptionSnapshot,
  type WebhookOwner,
} from '@pushline/domain';

/** The same bound as the replay to streams: one operator request stays one small transaction. */
export const REPLAY_MAX_EVENTS = 100;

/** Why a chosen event was not sent: the subscription would never have received it. */
export type WebhookReplaySkip = 'other_tenant' | 'event_type_not_subscribed' | 'no_reachable_user';

export interface WebhookReplayResult {
  readonly webhookId: string;
  /** One new delivery per event sent, in the order asked; `deliveryId` is its new `webhook-id`. */
  readonly queued: readonly { readonly eventId: string; readonly deliveryId: string }[];
  readonly skipped: readonly { readonly eventId: string; readonly reason: WebhookReplaySkip }[];
}

export interface ReplayEventsToWebhookPorts {
  readonly subscriptions: WebhookSubscriptionRepository;
  readonly apps: AppRepository;
  readonly installations: AppInstallationRepository;
  readonly archive: EventArchive;
  readonly deliveries: WebhookDeliveryLog;
  readonly clock: Clock;
}

/**
 * The operator's replay to a webhook (`POST /api/v1/admin/events/replay {eventIds, target: {webhookId}}`):
 * the chosen stored events are delivered to one subscription again, as new deliveries marked as replays.
 * A replay never widens what the subscription may see: an event goes out only if the live path would
 * have sent it (the app's tenant, one of its event types, a recipient who installed the app and passes
 * the subscription's user filter); the rest is reported as skipped. Unknown event ids → 404, nothing sent.
 * An app's own call passes its `owner`, which scopes the subscription.
 */
export class ReplayEventsToWebhook {
  constructor(
    private readonly ports: ReplayEventsToWebhookPorts,
    private readonly onQueued: () => void = () => {},
  ) {}

  async execute(input: { owner?: WebhookOwner; subscriptionId: string; eventIds: readonly string[] }): Promise<WebhookReplayResult> {
    const eventIds = [...new Set(input.eventIds)];
    if (eventIds.length === 0 || eventIds.length > REPLAY_MAX_EVENTS) {
      throw new ValidationError('eventIds', `eventIds takes 1 to ${REPLAY_MAX_EVENTS} event ids`);
    }
    const { subscriptions, apps, archive, deliveries, clock } = this.ports;
    const found = input.owner ? await subscriptions.find(input.owner, input.subscriptionId) : await subscriptions.findForOperator(input.subscriptionId);
    if (!found) throw new NotFoundError('webhook', input.subscriptionId);
    const subscription = found.toSnapshot();

    const stored = new Map((await archive.findByIds(eventIds)).map((e) => [e.id, e]));
    const missing = eventIds.find((id) => !stored.has(id));
    if (missing) throw new NotFoundError('event', missing);

    // The owner is the app; an owner that is no (longer an) app has no tenant, so nothing is sent.
    const tenantId = (await apps.findById(subscription.owner))?.tenantId;
    const send: DomainEvent[] = [];
    const skipped: { eventId: string; reason: WebhookReplaySkip }[] = [];
    for (const id of eventIds) {
      const event = stored.get(id)!;
      const reason = await this.skipReason(subscription, tenantId, event);
      if (reason) skipped.push({ eventId: id, reason });
      else send.push(event);
    }
    if (send.length === 0) return { webhookId: subscription.id, queued: [], skipped };
    const queued = await deliveries.replay(subscription.id, send, clock.now());
    // Deleted between the lookup and the insert.
    if (!queued) throw new NotFoundError('webhook', input.subscriptionId);
    this.onQueued();
    return { webhookId: subscription.id, queued, skipped };
  }

  /** The live path's rules (webhook outbox), asked of one stored event. */
  private async skipReason(subscription: WebhookSubscriptionSnapshot, tenantId: string | undefined, event: DomainEvent): Promise<WebhookReplaySkip | null> {
    if (!tenantId || event.tenantid !== tenantId) return 'other_tenant';
    if (!anyEventTypeMatches(subscription.eventTypes, event.type)) return 'event_type_not_subscribed';
    // A broadcast went to every member of its tenant: those who installed the app are its recipients here.
    const broadcast = (await this.ports.archive.broadcastTenantOf(event.id)) === tenantId;
    const installed = broadcast
      ? await this.ports.installations.installedUsers(tenantId, subscription.owner)
      : await this.ports.installations.installedAmong(tenantId, subscription.owner, await this.ports.archive.recipientsOf(event.id));
    const selected = [...installed].filter((u) => subscription.userIds.length === 0 || subscription.userIds.includes(u));
    return selected.length === 0 ? 'no_reachable_user' : null;
  }
}
