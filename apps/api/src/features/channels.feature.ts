import {
  categoryPolicy,
  ChannelSenderRegistry,
  DispatchChannelsHandler,
  ListChannelDeliveries,
  ListNotificationDeliveries,
  MuteChannel,
  SendDueChannelMessages,
} from '@pushline/application';
import { HmacUnsubscribeTokens, SmtpEmailSender } from '@pushline/email-nodemailer';
import { PrometheusChannelObserver } from '@pushline/metrics-prometheus';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { channelDeliveryRoutes } from '../http/channel-delivery.routes.js';
import { clientAddressOf, createRateLimiter } from '../http/rate-limits.js';
import { unsubscribeRoutes } from '../http/unsubscribe.routes.js';
import { ChannelWorker } from '../jobs/channel-worker.js';
import { PublicUrl } from '../public-url.js';

/**
 * Outbound notification channels behind one port (`NotificationChannelSender`): the dispatch handler
 * writes a send record per channel after `notification.created` committed, the channel worker sends
 * them after the grace period (or as a digest), with retries. Email is this feature's sender; another
 * feature adds its own with one `channels` line (web push). docs/notifications.md#channels.
 */
export const channelsFeature = defineFeature({
  name: 'channels',
  register(r, config) {
    const c = config.channels;
    r.value(PublicUrl, new PublicUrl(c.publicUrl));
    r.provide(PrometheusChannelObserver, (s) => new PrometheusChannelObserver(s.get(Ports.MetricsRegistry)));
    r.provide(
      SendDueChannelMessages,
      (s) =>
        new SendDueChannelMessages(
          s.get(Ports.ChannelDeliveryRepository),
          s.get(Ports.NotificationRepository),
          s.get(ChannelSenderRegistry),
          s.get(Ports.Clock),
          { maxAttempts: c.maxAttempts, baseBackoffMs: c.retryBaseMs },
          s.get(PrometheusChannelObserver),
        ),
    );
    r.provide(ChannelWorker, (s) => new ChannelWorker(s.get(SendDueChannelMessages), { pollIntervalMs: c.pollMs }, s.get(Ports.Logger)));
    r.provide(ListNotificationDeliveries, (s) => new ListNotificationDeliveries(s.get(Ports.ChannelDeliveryRepository), s.get(Ports.NotificationRepository)));
    r.provide(ListChannelDeliveries, (s) => new ListChannelDeliveries(s.get(Ports.ChannelDeliveryRepository)));
    r.provide(MuteChannel, (s) => new MuteChannel(s.get(Ports.PreferenceRepository), s.get(Ports.UserRepository), s.get(Ports.Clock)));
    const email = c.email;
    if (email) {
      r.provide(
        SmtpEmailSender,
        (s) =>
          new SmtpEmailSender(email, {
            recipientOf: async (userId) => {
              const user = await s.get(Ports.UserRepository).findById(userId);
              return user && !user.disabledAt ? user.email : null;
            },
            publicUrl: () => s.get(PublicUrl).get(),
            tokens: s.get(HmacUnsubscribeTokens),
            isCritical: (category) => categoryPolicy(category)?.critical ?? false,
          }),
      );
    }
  },
  // The email channel, when SMTP is configured.
  channels: (s, config) => (config.channels.email ? [s.get(SmtpEmailSender)] : []),
  // Only with a sender that keeps send records (email, web push): without one the handler has nothing
  // to record, and each notification would still cost a handler job written, leased and marked done.
  handlers: (s, config) =>
    s.get(ChannelSenderRegistry).channels.some((channel) => channel !== 'webhook')
      ? [
          new DispatchChannelsHandler(
            s.get(Ports.ChannelDeliveryRepository),
            s.get(ChannelSenderRegistry),
            s.get(Ports.NotificationRepository),
            s.get(Ports.PreferenceRepository),
            s.get(Ports.IdGenerator),
            { graceMs: config.channels.graceMs },
          ),
        ]
      : [],
  routes(s, http) {
    const router = Router();
    router.use(
      channelDeliveryRoutes({
        listForNotification: s.get(ListNotificationDeliveries),
        listAll: s.get(ListChannelDeliveries),
        requireAuth: http.requireAuth,
        requireAdmin: http.requireAdmin,
      }),
    );
    router.use(
      unsubscribeRoutes({
        tokens: s.get(HmacUnsubscribeTokens),
        mute: s.get(MuteChannel),
        rateLimit: createRateLimiter(
          { name: 'unsubscribe-ip', windowMs: 60_000, limit: 30, keyOf: clientAddressOf, message: 'too many unsubscribe requests from this address' },
          s.get(Ports.RateLimitStores),
          http.onRateLimitStoreError,
        ),
      }),
    );
    return router;
  },
});
