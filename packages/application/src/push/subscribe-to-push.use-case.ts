import {
  LimitExceededError,
  parsePushEndpoint,
  parsePushKeys,
  ValidationError,
  type Clock,
  type IdGenerator,
  type PushSubscription,
  type PushSubscriptionOwner,
  type PushSubscriptionRepository,
  type WebhookDestinationCheck,
} from '@pushline/domain';

export interface PushSubscriptionSettings {
  /** `WEB_PUSH_ALLOW_HTTP`: accept http endpoints (development and tests). */
  readonly allowHttp: boolean;
  /** `WEB_PUSH_MAX_SUBSCRIPTIONS_PER_USER`. */
  readonly maxPerUser: number;
}

/** A browser's `PushSubscription.toJSON()`, already shape-checked by the route. */
export interface SubscribeToPushInput extends PushSubscriptionOwner {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
  /** Milliseconds since the epoch, as browsers give it, or null. */
  readonly expirationTime?: number | null;
}

/**
 * Stores a browser's push subscription for the logged-in user (or renews it: browsers re-subscribe
 * with new keys). The endpoint's host is checked by the same SSRF guard as webhooks (`destinations`:
 * an endpoint is a URL a user hands us and we later POST to), and again at every send.
 */
export class SubscribeToPush {
  constructor(
    private readonly subscriptions: PushSubscriptionRepository,
    private readonly destinations: WebhookDestinationCheck,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly settings: PushSubscriptionSettings,
  ) {}

  async execute(input: SubscribeToPushInput): Promise<{ readonly subscription: PushSubscription; readonly created: boolean }> {
    const url = parsePushEndpoint(input.endpoint, { allowHttp: this.settings.allowHttp });
    const keys = parsePushKeys(input.keys);
    const now = this.clock.now();
    const expirationTime = input.expirationTime == null ? null : new Date(input.expirationTime);
    if (expirationTime && expirationTime.getTime() <= now.getTime()) throw new ValidationError('expirationTime', 'expirationTime is in the past');
    const refusal = await this.destinations.refusal(url);
    if (refusal) throw new ValidationError('endpoint', `endpoint is refused: ${refusal}`);
    const saved = await this.subscriptions.save(
      { id: this.ids.next(), tenantId: input.tenantId, userId: input.userId, endpoint: url.toString(), ...keys, expirationTime, createdAt: now },
      this.settings.maxPerUser,
    );
    if (saved.kind === 'limit_reached') {
      throw new LimitExceededError('push_subscriptions', `a user may have at most ${this.settings.maxPerUser} push subscriptions; remove one first`);
    }
    return { subscription: saved.subscription, created: saved.kind === 'created' };
  }
}
