import { describe, expect, it } from '@jest/globals';
import { TokenExpiry } from './token-expiry.js';

const MINUTE = 60_000;
const expiresAt = new Date('2026-05-01T10:05:00Z');
const at = (msBeforeExpiry: number) => expiresAt.getTime() - msBeforeExpiry;

describe('TokenExpiry', () => {
  it('is valid until the reauth lead, then asks for reauth exactly once', () => {
    const token = new TokenExpiry(expiresAt);
    expect(token.dueAt(at(MINUTE + 1), MINUTE)).toBe('valid');
    expect(token.dueAt(at(MINUTE), MINUTE)).toBe('reauth');
    expect(token.dueAt(at(MINUTE - 1), MINUTE)).toBe('valid');
    expect(token.dueAt(at(1), MINUTE)).toBe('valid');
  });

  it('is expired from the expiry instant on, reauth sent or not', () => {
    expect(new TokenExpiry(expiresAt).dueAt(at(0), MINUTE)).toBe('expired');
    const token = new TokenExpiry(expiresAt);
    expect(token.dueAt(at(10), MINUTE)).toBe('reauth');
    expect(token.dueAt(at(0), MINUTE)).toBe('expired');
    expect(token.dueAt(at(-1), MINUTE)).toBe('expired');
  });

  it('keeps its state per stream', () => {
    const first = new TokenExpiry(expiresAt);
    const second = new TokenExpiry(expiresAt);
    expect(first.dueAt(at(10), MINUTE)).toBe('reauth');
    expect(second.dueAt(at(10), MINUTE)).toBe('reauth');
  });
});
