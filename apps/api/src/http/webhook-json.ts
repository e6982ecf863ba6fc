import type { WebhookStatus } from '@pushline/application';
import type { WebhookDeliveryView, WebhookStatusEvent, WebhookSubscriptionSnapshot } from '@pushline/domain';

/** A subscription as the API shows it: never its secrets. */
export function toWebhookJson(s: WebhookSubscriptionSnapshot) {
  return {
    id: s.id,
    url: s.url,
    eventTypes: s.eventTypes,
    userIds: s.userIds,
    description: s.description,
    enabled: s.enabled,
    disabledReason: s.disabledReason,
    consecutiveFailures: s.consecutiveFailures,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function toDeliveryJson(d: WebhookDeliveryView) {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    replay: d.replay,
    createdAt: d.createdAt.toISOString(),
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    attempts: d.attempts.map((a) => ({
      at: a.at.toISOString(),
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error,
      responseBody: a.responseBody,
    })),
  };
}

/** A status change as a CloudEvents envelope, like the events the stream carries. */
export function toStatusEventJson(e: WebhookStatusEvent) {
  return {
    specversion: '1.0',
    id: e.id,
    source: '/pushline/webhooks',
    type: e.type,
    subject: e.subscriptionId,
    time: e.time.toISOString(),
    datacontenttype: 'application/json',
    data: { webhookId: e.subscriptionId, reason: e.reason },
  };
}

export function toStatusJson(s: WebhookStatus) {
  return {
    enabled: s.enabled,
    consecutiveFailures: s.consecutiveFailures,
    failingSince: s.failingSince?.toISOString() ?? null,
    disabledReason: s.disabledReason,
    events: s.events.map(toStatusEventJson),
  };
}
