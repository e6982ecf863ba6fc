/** One HTTP attempt of a delivery, signed with every secret given. */
export interface WebhookRequest {
  readonly url: string;
  /** `webhook-id`: the delivery id, equal on every attempt. */
  readonly id: string;
  readonly body: string;
  readonly secrets: readonly string[];
  readonly replay: boolean;
}

export interface WebhookResponse {
  /** Null when no response came (refused destination, timeout, connection error). */
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  /** The first bytes of the body, bounded. */
  readonly responseBody: string | null;
  /** `Retry-After` of a 429 or 503, in ms. */
  readonly retryAfterMs?: number;
}

/**
 * Sends one webhook request, stamping `webhook-timestamp` with the time it leaves. Never throws for the
 * receiver's faults: they come back as a response.
 */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResponse>;
}

/** New signing secrets: `whsec_` + base64 of random key bytes. */
export interface WebhookSecretGenerator {
  next(): string;
}

/**
 * Checks a destination (host of a subscription URL) before it is stored, with the same rules the
 * sender applies after DNS resolution. Resolves to an error message, or null when allowed.
 */
export interface WebhookDestinationCheck {
  refusal(url: URL): Promise<string | null>;
}
