/** Settings the webhook use cases share (from `WEBHOOK_*`, see docs/webhooks.md). */
export interface WebhookSettings {
  /** Accept `http:` URLs (on outside production, or with `WEBHOOK_ALLOW_HTTP`). */
  readonly allowHttp: boolean;
  readonly maxSubscriptionsPerApp: number;
  /** How long the secret before a rotation keeps signing beside the new one. */
  readonly secretOverlapMs: number;
}

export const WEBHOOK_PAGE_LIMITS = { default: 20, max: 100 } as const;
