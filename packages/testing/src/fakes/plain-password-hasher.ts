import type { PasswordHasher } from '@pushline/domain';

/** Reversible stand-in for the slow hasher: keeps unit tests fast. Never use outside tests. */
export class PlainPasswordHasher implements PasswordHasher {
  async hash(password: string): Promise<string> {
    return `plain:${password}`;
  }

  async verify(password: string, hash: string): Promise<boolean> {
    return hash === `plain:${password}`;
  }
}
