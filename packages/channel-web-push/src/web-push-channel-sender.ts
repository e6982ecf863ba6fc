import {
  ChannelSendError,
  type ChannelMessage,
  type NotificationChannelSender,
  type PushSubscription,
  type PushSubscriptionRepository,
} from '@pushline/domain';
import webpush from 'web-push';
import type { PushTransport } from './guarded-push-transport.js';
import { pushDeliveryOf, pushPayloadOf, pushTopicOf } from './push-payload.js';
import type { VapidDetails } from './vapid-keys.js';

export type PushDeviceOutcome = 'sent' | 'removed' | 'retryable' | 'failed';

/** What happened at one device, for logs and metrics (never the keys or the payload). Must not throw. */
export type PushSendObserver = (report: { readonly subscriptionId: string; readonly outcome: PushDeviceOutcome; readonly statusCode: number | null; readonly reason?: string }) => void;

export interface WebPushChannelSenderOptions {
  readonly vapid: VapidDetails;
  readonly observe?: PushSendObserver;
  readonly now?: () => Date;
}

/**
 * The `web_push` channel: one encrypted push (aes128gcm, VAPID-signed by web-push) to every
 * subscription of the user, in parallel. 404/410 from a push service, an expired subscription or keys
 * that cannot be encrypted to remove the subscription; 429, 5xx and network errors are retryable (the
 * dispatcher sends again, and the same `Topic` replaces a copy still queued); other 4xx are not. A
 * retry goes to every device again: the payload's `notificationIds` let the service worker show it
 * once (same `tag`).
 */
export class WebPushChannelSender implements NotificationChannelSender {
  readonly channel = 'web_push' as const;

  constructor(
    private readonly subscriptions: PushSubscriptionRepository,
    private readonly transport: PushTransport,
    private readonly options: WebPushChannelSenderOptions,
  ) {}

  async send(message: ChannelMessage): Promise<void> {
    const devices = await this.subscriptions.forUser({ tenantId: message.tenantId, userId: message.userId });
    if (devices.length === 0) return;
    const payload = pushPayloadOf(message);
    const { urgency, ttlSeconds } = pushDeliveryOf(message.priority);
    const topic = pushTopicOf(message.notificationIds);
    const outcomes = await Promise.all(devices.map((device) => this.sendTo(device, payload, { urgency, TTL: ttlSeconds, topic })));
    const failed = outcomes.filter((o) => o.outcome === 'retryable' || o.outcome === 'failed');
    if (failed.length === 0) return;
    const summary = `web push failed for ${failed.length} of ${devices.length} devices: ${failed.map((f) => f.reason).join('; ')}`.slice(0, 1000);
    if (failed.some((o) => o.outcome === 'retryable')) throw new ChannelSendError(summary, true);
    // Permanent failures only: worth failing the send when no device got it.
    if (!outcomes.some((o) => o.outcome === 'sent')) throw new ChannelSendError(summary, false);
  }

  private async sendTo(
    device: PushSubscription,
    payload: string,
    options: { urgency: webpush.Urgency; TTL: number; topic: string },
  ): Promise<{ outcome: PushDeviceOutcome; reason?: string }> {
    const now = this.options.now?.() ?? new Date();
    if (device.expirationTime && device.expirationTime.getTime() <= now.getTime()) return this.remove(device, null, 'subscription expired');
    let request: webpush.RequestDetails;
    try {
      request = webpush.generateRequestDetails({ endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } }, payload, {
        vapidDetails: this.options.vapid,
        contentEncoding: 'aes128gcm',
        ...options,
      });
    } catch (error) {
      // The browser's key is not a point on the curve: no push can ever be encrypted to it.
      return this.remove(device, null, `cannot encrypt to this subscription (${(error as Error).message})`);
    }
    const response = await this.transport.send({ endpoint: request.endpoint, headers: request.headers as Record<string, string | number>, body: request.body });
    const status = response.statusCode;
    let result: { outcome: PushDeviceOutcome; reason?: string };
    if (status !== null && status >= 200 && status < 300) result = { outcome: 'sent' };
    else if (status === 404 || status === 410) return this.remove(device, status, `push service answered ${status} (subscription gone)`);
    else if (response.refused) return this.remove(device, null, `destination refused: ${response.error}`);
    else if (status === null || status === 429 || status >= 500) result = { outcome: 'retryable', reason: response.error ?? `push service answered ${status}` };
    else result = { outcome: 'failed', reason: `push service answered ${status}${response.body ? `: ${response.body.slice(0, 200)}` : ''}` };
    this.options.observe?.({ subscriptionId: device.id, outcome: result.outcome, statusCode: status, ...(result.reason && { reason: result.reason }) });
    return result;
  }

  private async remove(device: PushSubscription, statusCode: number | null, reason: string): Promise<{ outcome: PushDeviceOutcome }> {
    await this.subscriptions.remove(device, device.endpoint);
    this.options.observe?.({ subscriptionId: device.id, outcome: 'removed', statusCode, reason });
    return { outcome: 'removed' };
  }
}
