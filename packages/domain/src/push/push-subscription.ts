import { ValidationError } from '../shared/errors.js';

export const PUSH_LIMITS = {
  /** Longest endpoint URL accepted (browsers' push service URLs are a few hundred characters). */
  endpointMaxLength: 2048,
  /** Default cap of subscriptions (browsers, devices) per user (`WEB_PUSH_MAX_SUBSCRIPTIONS_PER_USER`). */
  subscriptionsPerUser: 20,
} as const;

/** Whose subscription it is: every query of the repository is scoped by both. */
export interface PushSubscriptionOwner {
  readonly tenantId: string;
  readonly userId: string;
}

/**
 * A browser's Web Push subscription (`PushSubscription.toJSON()`) for one user. `p256dh` and `auth`
 * are the browser's public key and auth secret: what a sender needs to encrypt for it, not a secret
 * of ours (decrypting needs the browser's private key).
 */
export interface PushSubscription extends PushSubscriptionOwner {
  readonly id: string;
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
  /** When the push service said it ends (`expirationTime`), or null. */
  readonly expirationTime: Date | null;
  readonly createdAt: Date;
}

export interface PushEndpointRules {
  /** Accept `http:` endpoints (development and tests); otherwise only `https:`. */
  readonly allowHttp: boolean;
}

/**
 * Checks an endpoint before it is stored: an absolute http(s) URL (http only when allowed), no
 * credentials or fragment, bounded length. Where it resolves to is checked by the SSRF guard.
 */
export function parsePushEndpoint(raw: string, rules: PushEndpointRules): URL {
  if (raw.length > PUSH_LIMITS.endpointMaxLength) {
    throw new ValidationError('endpoint', `endpoint must be at most ${PUSH_LIMITS.endpointMaxLength} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError('endpoint', 'endpoint is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ValidationError('endpoint', 'endpoint must be https');
  if (url.protocol === 'http:' && !rules.allowHttp) {
    throw new ValidationError('endpoint', 'endpoint must be https (http is allowed only with WEB_PUSH_ALLOW_HTTP)');
  }
  if (url.username || url.password) throw new ValidationError('endpoint', 'endpoint must not contain credentials');
  if (url.hash) throw new ValidationError('endpoint', 'endpoint must not contain a fragment');
  if (!url.hostname) throw new ValidationError('endpoint', 'endpoint has no host');
  return url;
}

/** An uncompressed P-256 point (0x04 ‖ x ‖ y, 65 bytes) is 87 base64url characters and starts with `B`. */
const P256DH = /^B[A-Za-z0-9_-]{86}$/;
/** 16 random bytes: 22 base64url characters. */
const AUTH = /^[A-Za-z0-9_-]{22}$/;

/**
 * The subscription's keys in unpadded base64url, as browsers give them; standard base64 and padding
 * are accepted and normalised. Whether the point is on the curve is found at the first send.
 */
export function parsePushKeys(keys: { readonly p256dh: string; readonly auth: string }): { p256dh: string; auth: string } {
  const p256dh = toBase64Url(keys.p256dh);
  const auth = toBase64Url(keys.auth);
  if (!P256DH.test(p256dh)) throw new ValidationError('keys.p256dh', 'keys.p256dh must be a base64url uncompressed P-256 public key (65 bytes)');
  if (!AUTH.test(auth)) throw new ValidationError('keys.auth', 'keys.auth must be a base64url 16-byte auth secret');
  return { p256dh, auth };
}

function toBase64Url(value: string): string {
  return value.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
