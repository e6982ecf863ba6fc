import { randomUUID } from 'node:crypto';
import type { UserRepository } from '@pushline/domain';

/** Stores a fresh user (unique id and email) and returns its id: owners for test data. */
export async function givenUser(users: UserRepository, createdAt = new Date()): Promise<string> {
  const id = randomUUID();
  await users.upsertByEmail({ id, email: `${id}@example.test`, passwordHash: 'x', createdAt });
  return id;
}
