import { randomUUID } from 'node:crypto';
import type { User, UserRepository } from '@pushline/domain';

/** Tenant of the users the mothers create unless a test names another. */
export const TEST_TENANT_ID = 'tenant-test';

/** A user value with fresh id and email; `overrides` change any field. */
export function aUser(overrides: Partial<User> = {}): User {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    tenantId: TEST_TENANT_ID,
    email: `${id}@example.test`,
    passwordHash: 'x',
    externalId: null,
    disabledAt: null,
    createdAt: new Date(),
    ...overrides,
  };
}

/** Stores a fresh user (unique id and email) and returns its id: owners for test data. */
export async function givenUser(users: UserRepository, createdAt = new Date(), tenantId = TEST_TENANT_ID): Promise<string> {
  const user = aUser({ createdAt, tenantId });
  await users.upsertByEmail(user);
  return user.id;
}
