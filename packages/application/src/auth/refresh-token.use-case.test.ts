import { beforeEach, describe, expect, it } from '@jest/globals';
import { AuthenticationError } from '@pushline/domain';
import { FakeTokenService, FixedClock, InMemorySessionStore, InMemoryTenantRepository, InMemoryUserRepository } from '@pushline/testing';
import { Authenticate } from './authenticate.use-case.js';
import { LogOut } from './log-out.use-case.js';
import { RefreshToken } from './refresh-token.use-case.js';

const MINUTE = 60_000;

describe('RefreshToken, Authenticate and LogOut: a session with a real end', () => {
  let clock: FixedClock;
  let tokens: FakeTokenService;
  let sessions: InMemorySessionStore;
  let refresh: RefreshToken;
  let authenticate: Authenticate;
  let logOut: LogOut;
  const subject = { userId: 'user-1', tenantId: 't1', email: 'ada@example.com', sessionId: 'session-1' };
  const start = new Date('2026-01-01T00:00:00.000Z');

  beforeEach(async () => {
    clock = new FixedClock(start);
    tokens = new FakeTokenService(clock, 900);
    sessions = new InMemorySessionStore();
    // Absolute end 60 minutes after login; idle end 20 minutes after the last login or refresh.
    refresh = new RefreshToken(tokens, sessions, clock, { absoluteSeconds: 3600, idleSeconds: 1200 });
    const users = new InMemoryUserRepository();
    await users.upsertByEmail({ id: 'user-1', tenantId: 't1', email: 'ada@example.com', passwordHash: null, externalId: null, disabledAt: null, createdAt: start });
    authenticate = new Authenticate(tokens, sessions, clock, users, new InMemoryTenantRepository());
    logOut = new LogOut(sessions, clock);
    await sessions.create({
      id: 'session-1',
      tenantId: 't1',
      userId: 'user-1',
      createdAt: start,
      expiresAt: new Date(start.getTime() + 60 * MINUTE),
      idleExpiresAt: new Date(start.getTime() + 20 * MINUTE),
      revokedAt: null,
    });
  });

  it('issues a new token of the same session that outlives the old one and moves the idle end', async () => {
    const old = tokens.issue(subject);
    clock.advance(10 * MINUTE);

    const result = await refresh.execute(await authenticate.execute(old.token));

    expect(result.token).not.toBe(old.token);
    expect(result.sessionId).toBe('session-1');
    expect(result.expiresAt).toEqual(new Date('2026-01-01T00:25:00.000Z'));
    expect((await sessions.find({ tenantId: 't1', sessionId: 'session-1' }))?.idleExpiresAt).toEqual(new Date('2026-01-01T00:30:00.000Z'));
  });

  it('never extends the absolute end: the last token expires with the session, then nothing works', async () => {
    let token = tokens.issue(subject).token;
    for (let minute = 10; minute < 60; minute += 10) {
      clock.advance(10 * MINUTE);
      token = (await refresh.execute(await authenticate.execute(token))).token;
    }
    expect(tokens.verify(token).expiresAt).toEqual(new Date('2026-01-01T01:00:00.000Z'));
    clock.advance(9 * MINUTE);
    await expect(refresh.execute(await authenticate.execute(token))).resolves.toMatchObject({ expiresIn: 60 });
    clock.advance(MINUTE);
    // A token that would still verify (a fake of another clock) is refused by the session's end.
    const late = tokens.issue({ ...subject });
    await expect(authenticate.execute(late.token)).rejects.toThrow(new AuthenticationError('the session has ended; log in again'));
  });

  it('ends a session left idle past its idle lifetime', async () => {
    clock.advance(20 * MINUTE);
    const token = tokens.issue(subject).token;
    await expect(authenticate.execute(token)).rejects.toThrow(/idle/);
  });

  // Finding 1 of issue #9: logout with the first token used to revoke only until that token's exp.
  it('logout with an old token ends every token the session was refreshed to, for the rest of the session', async () => {
    const a = tokens.issue(subject);
    clock.advance(5 * MINUTE);
    const b = await refresh.execute(await authenticate.execute(a.token));
    await logOut.execute(await authenticate.execute(a.token));

    clock.advance(12 * MINUTE); // past A's own expiry, before B's
    expect(() => tokens.verify(a.token)).toThrow(AuthenticationError);
    await expect(authenticate.execute(b.token)).rejects.toThrow(new AuthenticationError('the session was logged out'));
    await expect(refresh.execute(tokens.verify(b.token))).rejects.toThrow(AuthenticationError);
    expect(tokens.issued).toHaveLength(2);
  });

  // Finding 9 of issue #9: a valid token of a deleted (or never stored) user opened streams.
  it('refuses a valid token whose session is gone with its user, or never existed', async () => {
    const token = tokens.issue(subject).token;
    sessions.deleteUser('user-1');
    await expect(authenticate.execute(token)).rejects.toThrow(new AuthenticationError('the access token is not valid'));
    const stranger = tokens.issue({ userId: 'user-2', tenantId: 't1', email: 'x@example.com', sessionId: 'session-1' }).token;
    await expect(authenticate.execute(stranger)).rejects.toThrow(AuthenticationError);
  });
});
