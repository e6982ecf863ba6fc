import { beforeEach, describe, expect, it } from '@jest/globals';
import { AuthenticationError } from '@pushline/domain';
import {
  FakeTokenService,
  FixedClock,
  InMemorySessionStore,
  InMemoryTenantRepository,
  InMemoryUserRepository,
  PlainPasswordHasher,
  SequentialIdGenerator,
} from '@pushline/testing';
import { RegisterUser } from '../users/register-user.use-case.js';
import { LogIn } from './log-in.use-case.js';

const password = 'correct horse battery';

describe('LogIn', () => {
  let tokens: FakeTokenService;
  let sessions: InMemorySessionStore;
  let logIn: LogIn;
  let userId: string;

  beforeEach(async () => {
    const clock = new FixedClock();
    const users = new InMemoryUserRepository();
    const passwords = new PlainPasswordHasher();
    tokens = new FakeTokenService(clock, 900);
    const tenants = new InMemoryTenantRepository();
    await tenants.save({ id: 't1', name: 'acme', createdAt: clock.now(), disabledAt: null });
    ({ id: userId } = await new RegisterUser(users, tenants, passwords, new SequentialIdGenerator('user'), clock).execute({
      tenantId: 't1',
      email: 'ada@example.com',
      password,
    }));
    sessions = new InMemorySessionStore();
    logIn = new LogIn(users, passwords, tokens, new SequentialIdGenerator('session'), sessions, clock, { absoluteSeconds: 86_400, idleSeconds: 3600 }, tenants);
  });

  it('returns a token for the user and its session', async () => {
    const result = await logIn.execute({ email: '  Ada@Example.COM ', password });

    expect(result).toEqual({
      token: 'token-1',
      expiresIn: 900,
      expiresAt: new Date('2026-01-01T00:15:00.000Z'),
      sessionId: 'session-1',
      user: { id: userId, email: 'ada@example.com' },
    });
    expect(tokens.verify(result.token)).toMatchObject({ userId, email: 'ada@example.com', sessionId: 'session-1' });
  });

  it('stores the session with its absolute and idle ends', async () => {
    await logIn.execute({ email: 'ada@example.com', password });

    await expect(sessions.find({ tenantId: 't1', sessionId: 'session-1' })).resolves.toEqual({
      id: 'session-1',
      tenantId: 't1',
      userId,
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
      expiresAt: new Date('2026-01-02T00:00:00.000Z'),
      idleExpiresAt: new Date('2026-01-01T01:00:00.000Z'),
      revokedAt: null,
    });
  });

  it('starts a new session on every login', async () => {
    const first = await logIn.execute({ email: 'ada@example.com', password });
    const second = await logIn.execute({ email: 'ada@example.com', password });

    expect(second.sessionId).not.toBe(first.sessionId);
    expect(tokens.verify(second.token).sessionId).toBe(second.sessionId);
  });

  it.each([
    ['an unknown email', { email: 'nobody@example.com', password }],
    ['a wrong password', { email: 'ada@example.com', password: 'wrong password!!' }],
  ])('refuses %s with the same AuthenticationError and issues nothing', async (_, input) => {
    await expect(logIn.execute(input)).rejects.toThrow(new AuthenticationError('email or password is wrong'));
    expect(tokens.issued).toEqual([]);
    await expect(sessions.find({ tenantId: 't1', sessionId: 'session-1' })).resolves.toBeNull();
  });
});
