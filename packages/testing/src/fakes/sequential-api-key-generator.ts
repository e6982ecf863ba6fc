import type { ApiKeyGenerator } from '@pushline/domain';

const KEY = /^plk_([a-z0-9]{12})_([a-z0-9]{43})$/;

/** Predictable keys (`plk_key000000001_…`) for tests that assert on them; the "hash" is readable, not secure. */
export class SequentialApiKeyGenerator implements ApiKeyGenerator {
  private next = 0;

  generate() {
    this.next += 1;
    const prefix = `key${String(this.next).padStart(9, '0')}`;
    const key = `plk_${prefix}_${`secret${this.next}`.padEnd(43, 'x')}`;
    return { key, prefix, hash: hashOf(key) };
  }

  parse(key: string) {
    const match = KEY.exec(key);
    return match ? { prefix: match[1]!, hash: hashOf(key) } : null;
  }
}

function hashOf(key: string): string {
  return `hashed:${[...key].reverse().join('')}`;
}
