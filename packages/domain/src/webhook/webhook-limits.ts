/** Limits of webhook subscriptions; every one is named in docs/webhooks.md. */
export const WEBHOOK_LIMITS = {
  urlMaxLength: 2048,
  descriptionMax: 500,
  eventTypesMax: 50,
  userIdsMax: 100,
  /** Subscriptions per app unless `WEBHOOK_MAX_SUBSCRIPTIONS_PER_APP` says otherwise. */
  subscriptionsPerApp: 20,
  /** Of a response body, this much is kept in the delivery log. */
  responseBodyBytes: 1024,
  /** A payload (the CloudEvents envelope) above this is sent truncated, with `datatruncated: true`. */
  payloadMaxBytes: 256 * 1024,
} as const;
