import { beforeEach, describe, expect, it } from '@jest/globals';
import { AuthenticationError, type SessionRevocationList } from '@pushline/domain';
import { FakeTokenService, FixedClock } from '@pushline/testing';
import { RefreshToken } from './refresh-token.use-case.js';

class RevokedSessions implements SessionRevocationList {
  readonly revoked = new Set<string>();
  async revoke(sessionId: string): Promise<void> {
    this.revoked.add(sessionId);
  }
  async isRevoked(sessionId: string): Promise<boolean> {
    return this.revoked.has(sessionId);
  }
}

describe('RefreshToken', () => {
  let clock: FixedClock;
  let tokens: FakeTokenService;
  let revocations: RevokedSessions;
  let refresh: RefreshToken;
  const subject = { userId: 'user-1', tenantId: 't1', email: 'ada@example.com', sessionId: 'session-1' };

  beforeEach(() => {
    clock = new FixedClock();
    tokens = new FakeTokenService(clock, 900);
    revocations = new RevokedSessions();
    refresh = new RefreshToken(tokens, revocations);
  });

  it('issues a new token of the same session that outlives the old one', async () => {
    const old = tokens.issue(subject);
    clock.advance(600_000);

    const result = await refresh.execute(tokens.verify(old.token));

    expect(result.token).not.toBe(old.token);
    expect(result.sessionId).toBe('session-1');
    expect(result.expiresAt).toEqual(new Date('2026-01-01T00:25:00.000Z'));
    expect(tokens.verify(result.token)).toEqual({ ...subject, expiresAt: result.expiresAt });
    clock.advance(600_000);
    expect(() => tokens.verify(old.token)).toThrow(AuthenticationError);
    expect(tokens.verify(result.token).sessionId).toBe('session-1');
  });

  it('refuses a session that was logged out and issues nothing', async () => {
    const claims = tokens.verify(tokens.issue(subject).token);
    await revocations.revoke('session-1');

    await expect(refresh.execute(claims)).rejects.toThrow(new AuthenticationError('the session was logged out'));
    expect(tokens.issued).toHaveLength(1);
  });
});
