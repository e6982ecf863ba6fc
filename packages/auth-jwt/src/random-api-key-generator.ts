import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyGenerator } from '@pushline/domain';

/** `plk_` + 12 lookup characters + `_` + 43 secret characters (256 random bits, base64url). */
const KEY = /^plk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * API keys with a recognisable prefix (secret scanners and people can tell what leaked) and a lookup
 * part, so a presented key is found by index and compared by hash. SHA-256 suffices: the secret has
 * 256 random bits, so there is nothing to slow brute-force down for (unlike passwords).
 */
export class RandomApiKeyGenerator implements ApiKeyGenerator {
  generate() {
    const prefix = randomBytes(12).toString('base64url').replace(/[^A-Za-z0-9]/g, '').padEnd(12, '0').slice(0, 12);
    const key = `plk_${prefix}_${randomBytes(32).toString('base64url')}`;
    return { key, prefix, hash: hashOf(key) };
  }

  parse(key: string) {
    const match = KEY.exec(key);
    return match ? { prefix: match[1]!, hash: hashOf(key) } : null;
  }
}

function hashOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
