import { describe, expect, it } from '@jest/globals';
import { AuthenticationError } from '@pushline/domain';
import { aUser, InMemoryUserRepository } from '@pushline/testing';
import { GetCurrentUser } from './get-current-user.use-case.js';

describe('GetCurrentUser', () => {
  const createdAt = new Date('2026-01-01T00:00:00Z');

  it('returns the profile without the password hash', async () => {
    const users = new InMemoryUserRepository();
    await users.upsertByEmail(aUser({ id: 'u1', tenantId: 't1', email: 'ada@example.com', passwordHash: 'secret-hash', createdAt }));

    const profile = await new GetCurrentUser(users).execute('u1');

    expect(profile).toStrictEqual({ id: 'u1', tenantId: 't1', email: 'ada@example.com', createdAt });
  });

  it('treats a token of a user that no longer exists as unauthenticated', async () => {
    await expect(new GetCurrentUser(new InMemoryUserRepository()).execute('gone')).rejects.toThrow(AuthenticationError);
  });
});
