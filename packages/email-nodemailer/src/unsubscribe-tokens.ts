import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a one-click unsubscribe link mutes: one channel of one category, for one user. */
export interface UnsubscribeClaims {
  readonly userId: string;
  readonly category: string;
  readonly channel: 'email';
}

/**
 * Signed unsubscribe tokens: base64url(JSON claims) + "." + base64url(HMAC-SHA256). The key is derived
 * from the app's signing secret for this one purpose, so a token is never an access token and an
 * access token never unsubscribes. No expiry: RFC 8058 expects a link in an old email to keep working.
 */
export class HmacUnsubscribeTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('pushline/unsubscribe/v1').digest();
  }

  sign(claims: UnsubscribeClaims): string {
    const body = Buffer.from(JSON.stringify({ u: claims.userId, c: claims.category, ch: claims.channel })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a token this key signed; null for anything else. */
  verify(token: string): UnsubscribeClaims | null {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || token.length > 1024) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u?: unknown; c?: unknown; ch?: unknown };
      if (typeof parsed.u !== 'string' || typeof parsed.c !== 'string' || parsed.ch !== 'email') return null;
      return { userId: parsed.u, category: parsed.c, channel: 'email' };
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
