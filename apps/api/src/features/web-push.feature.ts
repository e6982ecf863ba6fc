import { SubscribeToPush, UnsubscribeFromPush } from '@pushline/application';
import { GuardedPushTransport, WebPushChannelSender, type VapidDetails } from '@pushline/channel-web-push';
import { WebhookDestinationPolicy } from '@pushline/webhook-http';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { token } from '../composition/typed-container.js';
import { resolveVapidDetails } from '../dev-vapid-keys.js';
import { pushSubscriptionRoutes } from '../http/push-subscription.routes.js';

/** The VAPID identity in use; `details` is unset while web push is off (production without VAPID_*). */
export const VapidIdentity = token<{ readonly details?: VapidDetails }>('VapidIdentity');

/**
 * Web push: browsers' push subscriptions (`/push-subscriptions`, `/push/vapid-public-key`) and the
 * `web_push` channel sender, which the channel dispatch sends through (docs/notifications.md#web-push).
 */
export const webPushFeature = defineFeature({
  name: 'web-push',
  register(r, config) {
    const settings = config.webPush;
    // Its own allow-list (WEB_PUSH_ALLOWED_HOSTS), the webhooks' rules: an endpoint is a URL a user hands us.
    const destinations = new WebhookDestinationPolicy(settings.allowedHosts);
    r.provide(VapidIdentity, (c) => {
      const details = resolveVapidDetails(config, c.get(Ports.Logger));
      return details ? { details } : {};
    });
    r.provide(GuardedPushTransport, () => new GuardedPushTransport(destinations, { timeoutMs: settings.timeoutMs }));
    r.provide(WebPushChannelSender, (c) => {
      const logger = c.get(Ports.Logger);
      return new WebPushChannelSender(c.get(Ports.PushSubscriptionRepository), c.get(GuardedPushTransport), {
        vapid: c.get(VapidIdentity).details!,
        observe: (report) => {
          if (report.outcome !== 'sent') logger.info({ ...report, channel: 'web_push' }, 'web push not delivered to a device');
        },
      });
    });
    r.provide(
      SubscribeToPush,
      (c) =>
        new SubscribeToPush(c.get(Ports.PushSubscriptionRepository), destinations, c.get(Ports.IdGenerator), c.get(Ports.Clock), {
          allowHttp: settings.allowHttp,
          maxPerUser: settings.maxSubscriptionsPerUser,
        }),
    );
    r.provide(UnsubscribeFromPush, (c) => new UnsubscribeFromPush(c.get(Ports.PushSubscriptionRepository)));
  },
  channels: (services) => (services.get(VapidIdentity).details ? [services.get(WebPushChannelSender)] : []),
  routes(services, http) {
    const router = Router();
    router.use(
      pushSubscriptionRoutes({
        subscribe: services.get(SubscribeToPush),
        unsubscribe: services.get(UnsubscribeFromPush),
        vapidPublicKey: services.get(VapidIdentity).details?.publicKey,
        requireAuth: http.requireAuth,
        writeRateLimit: http.writeRateLimit,
      }),
    );
    return router;
  },
});
