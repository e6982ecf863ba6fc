import { NotFoundError, type PushSubscriptionOwner, type PushSubscriptionRepository } from '@pushline/domain';

/** Removes the logged-in user's subscription at an endpoint (a browser's `unsubscribe()`); 404 when it is not theirs. */
export class UnsubscribeFromPush {
  constructor(private readonly subscriptions: PushSubscriptionRepository) {}

  async execute(owner: PushSubscriptionOwner, endpoint: string): Promise<void> {
    // Stored endpoints are normalised by URL parsing, so look the given one up the same way.
    let normalised = endpoint;
    try {
      normalised = new URL(endpoint).toString();
    } catch {
      // not a URL: cannot match anything stored
    }
    if (!(await this.subscriptions.remove(owner, normalised))) throw new NotFoundError('push subscription', 'at that endpoint');
  }
}
