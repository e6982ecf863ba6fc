import { describe, expect, it } from '@jest/globals';
import { ScryptPasswordHasher } from './scrypt-password-hasher.js';

describe('ScryptPasswordHasher', () => {
  const hasher = new ScryptPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(await hasher.verify('correct horse battery', hash)).toBe(true);
    expect(await hasher.verify('correct horse battery!', hash)).toBe(false);
  });

  it('salts every hash and never stores the password', async () => {
    const [a, b] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$/);
  });

  it('rejects malformed stored hashes', async () => {
    expect(await hasher.verify('x', 'bcrypt$whatever')).toBe(false);
  });
});
