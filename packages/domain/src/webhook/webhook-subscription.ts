import { ValidationError } from '../shared/errors.js';
import { WEBHOOK_LIMITS } from './webhook-limits.js';

/** The secret prefix of the Standard Webhooks scheme; the rest is base64 of the key bytes. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export interface WebhookSubscriptionSnapshot {
  readonly id: string;
  /** The app the subscription belongs to (its `:appId`); every query is scoped by it. */
  readonly owner: string;
  /** The owning app's tenant. */
  readonly tenantId: string;
  readonly url: string;
  /** Exact event types or patterns (`notification.*`, `*`), checked against the catalog. */
  readonly eventTypes: readonly string[];
  /** Only events whose audience includes one of these users; empty: every user the app may reach. */
  readonly userIds: readonly string[];
  readonly description: string;
  readonly enabled: boolean;
  readonly secret: string;
  /** The secret before the last rotation, still signed with until `previousSecretExpiresAt`. */
  readonly previousSecret: string | null;
  readonly previousSecretExpiresAt: Date | null;
  /** Failed attempts since the last success; reset by a success or a re-enable. */
  readonly consecutiveFailures: number;
  /** First failed attempt since the last success. */
  readonly failingSince: Date | null;
  readonly disabledReason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface WebhookSubscriptionChanges {
  readonly url?: string;
  readonly eventTypes?: readonly string[];
  readonly userIds?: readonly string[];
  readonly description?: string;
  readonly enabled?: boolean;
}

/** A subscription; URL and event types arrive already checked (`parseWebhookUrl`, `parseWebhookEventTypes`). */
export class WebhookSubscription {
  private constructor(private state: WebhookSubscriptionSnapshot) {}

  static create(input: {
    id: string;
    owner: string;
    tenantId: string;
    url: string;
    eventTypes: readonly string[];
    userIds?: readonly string[];
    description?: string;
    enabled?: boolean;
    secret: string;
    now: Date;
  }): WebhookSubscription {
    return new WebhookSubscription({
      id: input.id,
      owner: input.owner,
      tenantId: input.tenantId,
      url: input.url,
      eventTypes: input.eventTypes,
      userIds: checkUserIds(input.userIds ?? []),
      description: checkDescription(input.description ?? ''),
      enabled: input.enabled ?? true,
      secret: input.secret,
      previousSecret: null,
      previousSecretExpiresAt: null,
      consecutiveFailures: 0,
      failingSince: null,
      disabledReason: null,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(snapshot: WebhookSubscriptionSnapshot): WebhookSubscription {
    return new WebhookSubscription(snapshot);
  }

  get id(): string {
    return this.state.id;
  }

  get enabled(): boolean {
    return this.state.enabled;
  }

  /** Applies a PATCH. Enabling a disabled subscription starts its failure count afresh. */
  change(changes: WebhookSubscriptionChanges, now: Date): void {
    const reEnabled = changes.enabled === true && !this.state.enabled;
    this.state = {
      ...this.state,
      ...(changes.url !== undefined && { url: changes.url }),
      ...(changes.eventTypes !== undefined && { eventTypes: changes.eventTypes }),
      ...(changes.userIds !== undefined && { userIds: checkUserIds(changes.userIds) }),
      ...(changes.description !== undefined && { description: checkDescription(changes.description) }),
      ...(changes.enabled !== undefined && { enabled: changes.enabled }),
      ...(changes.enabled === false && { disabledReason: 'disabled by the app' }),
      ...(reEnabled && { consecutiveFailures: 0, failingSince: null, disabledReason: null }),
      updatedAt: now,
    };
  }

  /** New signing secret; the old one keeps signing (beside the new) for `overlapMs`. */
  rotateSecret(secret: string, overlapMs: number, now: Date): void {
    this.state = {
      ...this.state,
      secret,
      previousSecret: overlapMs > 0 ? this.state.secret : null,
      previousSecretExpiresAt: overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null,
      updatedAt: now,
    };
  }

  /** Secrets to sign with at `now`: the current one, and the previous one during its overlap. */
  signingSecrets(now: Date): string[] {
    return signingSecretsOf(this.state, now);
  }

  toSnapshot(): WebhookSubscriptionSnapshot {
    return this.state;
  }
}

export function signingSecretsOf(
  s: Pick<WebhookSubscriptionSnapshot, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>,
  now: Date,
): string[] {
  const overlapping = s.previousSecret && s.previousSecretExpiresAt && s.previousSecretExpiresAt > now;
  return overlapping ? [s.secret, s.previousSecret!] : [s.secret];
}

function checkUserIds(userIds: readonly string[]): readonly string[] {
  if (userIds.length > WEBHOOK_LIMITS.userIdsMax) {
    throw new ValidationError('userIds', `userIds takes at most ${WEBHOOK_LIMITS.userIdsMax} users`);
  }
  return [...new Set(userIds)];
}

function checkDescription(description: string): string {
  if (description.length > WEBHOOK_LIMITS.descriptionMax) {
    throw new ValidationError('description', `description must be at most ${WEBHOOK_LIMITS.descriptionMax} characters`);
  }
  return description;
}
