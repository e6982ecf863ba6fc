import { describe, expect, it } from '@jest/globals';
import { AuthenticationError } from '@pushline/domain';
import { FixedClock } from '@pushline/testing';
import jwt from 'jsonwebtoken';
import { JwtTokenService } from './jwt-token-service.js';

const secret = 'test-secret-that-is-long-enough-for-hs256';
const subject = { userId: 'u1', tenantId: 't1', email: 'a@example.com', sessionId: 's1' };

describe('JwtTokenService', () => {
  it('verifies what it issued', () => {
    const clock = new FixedClock();
    const tokens = new JwtTokenService({ secret, ttlSeconds: 60 }, clock);
    const issued = tokens.issue(subject);
    expect(issued.expiresIn).toBe(60);
    expect(tokens.verify(issued.token)).toEqual({ ...subject, expiresAt: new Date(clock.now().getTime() + 60_000) });
  });

  it('rejects an expired token', () => {
    const clock = new FixedClock();
    const tokens = new JwtTokenService({ secret, ttlSeconds: 60 }, clock);
    const { token } = tokens.issue(subject);
    clock.advance(60_001);
    expect(() => tokens.verify(token)).toThrow(new AuthenticationError('the access token has expired'));
  });

  it.each([
    ['another secret', () => jwt.sign({ sub: 'u1', sid: 's', email: 'e' }, 'x'.repeat(40), { audience: 'pushline-api', issuer: 'pushline' })],
    ['alg none', () => jwt.sign({ sub: 'u1', sid: 's', email: 'e' }, '', { algorithm: 'none', audience: 'pushline-api', issuer: 'pushline' })],
    ['another algorithm', () => jwt.sign({ sub: 'u1', sid: 's', email: 'e' }, secret, { algorithm: 'HS512', audience: 'pushline-api', issuer: 'pushline' })],
    ['another audience', () => jwt.sign({ sub: 'u1', sid: 's', email: 'e' }, secret, { audience: 'other', issuer: 'pushline' })],
    ['garbage', () => 'not-a-jwt'],
  ])('rejects a token signed with %s', (_, make) => {
    const tokens = new JwtTokenService({ secret, ttlSeconds: 60 }, { now: () => new Date() });
    expect(() => tokens.verify(make())).toThrow(AuthenticationError);
  });

  // Finding 1 of issue #9: a token without `exp` was accepted forever.
  it.each([
    ['no exp', { sid: 's1', email: 'a@example.com' }, { noTimestamp: false }],
    ['no iat', { sid: 's1', email: 'a@example.com', exp: 4_000_000_000 }, { noTimestamp: true }],
    ['no sid', { email: 'a@example.com', exp: 4_000_000_000 }, {}],
  ])('refuses a correctly signed token with %s', (_, payload, extra) => {
    const token = jwt.sign(payload, secret, { subject: 'u1', audience: 'pushline-api', issuer: 'pushline', ...extra });
    const tokens = new JwtTokenService({ secret, ttlSeconds: 60 }, { now: () => new Date() });
    expect(() => tokens.verify(token)).toThrow(new AuthenticationError('the access token is not valid'));
  });

  it('never issues a token that outlives notAfter', () => {
    const clock = new FixedClock();
    const tokens = new JwtTokenService({ secret, ttlSeconds: 3600 }, clock);
    const notAfter = new Date(clock.now().getTime() + 600_000);
    const issued = tokens.issue({ ...subject, notAfter });
    expect(issued.expiresIn).toBe(600);
    expect(tokens.verify(issued.token).expiresAt).toEqual(notAfter);
  });

  it('refuses a short secret', () => {
    expect(() => new JwtTokenService({ secret: 'short', ttlSeconds: 60 }, new FixedClock())).toThrow(/32 characters/);
  });
});
