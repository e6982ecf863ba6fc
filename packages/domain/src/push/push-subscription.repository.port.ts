import type { PushSubscription, PushSubscriptionOwner } from './push-subscription.js';

export type SavedPushSubscription =
  | { readonly kind: 'created' | 'renewed'; readonly subscription: PushSubscription }
  /** The user has `maxPerUser` other subscriptions already; nothing was written. */
  | { readonly kind: 'limit_reached' };

/** A user's Web Push subscriptions. Every method is scoped by tenant and user. */
export interface PushSubscriptionRepository {
  /**
   * Stores the subscription, or renews the keys and expiry of the user's subscription with the same
   * endpoint (keeping its id and creation time). The cap is checked in the same step as the write, so
   * two browsers subscribing at once cannot pass it together.
   */
  save(subscription: PushSubscription, maxPerUser: number): Promise<SavedPushSubscription>;
  /** Oldest first. */
  forUser(owner: PushSubscriptionOwner): Promise<readonly PushSubscription[]>;
  /** Removes the user's subscription at `endpoint`; false when there was none. */
  remove(owner: PushSubscriptionOwner, endpoint: string): Promise<boolean>;
}
