import { describe, expect, it } from '@jest/globals';
import type { ApiKeyGenerator } from '@pushline/domain';

/** The behaviour every ApiKeyGenerator must show: recognisable keys that parse back to their lookup prefix and hash. */
export function describeApiKeyGeneratorContract(name: string, setup: () => ApiKeyGenerator): void {
  describe(`${name} (ApiKeyGenerator contract)`, () => {
    it('makes recognisable keys that parse back to the prefix and hash stored for them; the hash is not the key', () => {
      const generator = setup();
      const { key, prefix, hash } = generator.generate();

      expect(key).toMatch(/^plk_/);
      expect(key).toContain(prefix);
      expect(hash).not.toContain(key.slice(key.lastIndexOf('_') + 1));
      expect(generator.parse(key)).toEqual({ prefix, hash });
    });

    it('never makes the same key or prefix twice', () => {
      const generator = setup();
      const keys = Array.from({ length: 200 }, () => generator.generate());

      expect(new Set(keys.map((k) => k.key)).size).toBe(200);
      expect(new Set(keys.map((k) => k.prefix)).size).toBe(200);
    });

    it('refuses what is not shaped like one of its keys, and a changed secret no longer matches the hash', () => {
      const generator = setup();
      const { key, hash } = generator.generate();
      for (const bad of ['', 'plk_', 'plk_short_secret', `pk_${key.slice(4)}`, `${key}x`, key.replace('plk_', 'PLK_'), ` ${key}`]) {
        expect({ bad, parsed: generator.parse(bad) }).toEqual({ bad, parsed: null });
      }
      const last = key.at(-1) === 'A' ? 'B' : 'A';
      expect(generator.parse(`${key.slice(0, -1)}${last}`)?.hash).not.toBe(hash);
    });
  });
}
