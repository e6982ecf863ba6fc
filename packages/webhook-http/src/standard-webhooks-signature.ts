import { createHmac, randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX, type WebhookSecretGenerator } from '@pushline/domain';

/**
 * `webhook-signature` of the Standard Webhooks scheme (https://www.standardwebhooks.com): for each
 * secret, `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` keyed by the secret's decoded bytes;
 * several are space-separated (a receiver accepts any one it can verify).
 */
export function signStandardWebhook(id: string, timestampSeconds: number, body: string, secrets: readonly string[]): string {
  const content = `${id}.${timestampSeconds}.${body}`;
  return secrets.map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(content).digest('base64')}`).join(' ');
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret, 'base64');
}

/** 32 random bytes (the HMAC-SHA256 block's worth of key material), as `whsec_<base64>`. */
export class CryptoWebhookSecretGenerator implements WebhookSecretGenerator {
  next(): string {
    return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
  }
}
