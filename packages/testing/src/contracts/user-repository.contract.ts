import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { User, UserRepository } from '@pushline/domain';
import { aUser } from '../mothers/user.mother.js';

export interface UserRepositoryUnderTest {
  readonly users: UserRepository;
  teardown?(): Promise<void>;
}

/**
 * The behaviour every UserRepository adapter must show. Each test uses fresh ids and emails, so an
 * adapter may share one database across the whole suite.
 */
export function describeUserRepositoryContract(
  name: string,
  setup: () => UserRepositoryUnderTest | Promise<UserRepositoryUnderTest>,
): void {
  describe(`${name} (UserRepository contract)`, () => {
    let subject: UserRepositoryUnderTest;

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it('stores a new user and finds it by id and by email, to the millisecond', async () => {
      const user = newUser();

      await expect(subject.users.upsertByEmail(user)).resolves.toEqual(user);

      await expect(subject.users.findById(user.id)).resolves.toEqual(user);
      await expect(subject.users.findByEmail(user.email)).resolves.toEqual(user);
    });

    it('finds nothing for an unknown id or email', async () => {
      await subject.users.upsertByEmail(newUser());

      await expect(subject.users.findById(randomUUID())).resolves.toBeNull();
      await expect(subject.users.findByEmail(`${randomUUID()}@example.test`)).resolves.toBeNull();
    });

    it('keeps the first user when the email is already taken', async () => {
      const first = newUser();
      const second = newUser({ email: first.email, passwordHash: 'another-hash' });
      await subject.users.upsertByEmail(first);

      await expect(subject.users.upsertByEmail(second)).resolves.toEqual(first);

      await expect(subject.users.findByEmail(first.email)).resolves.toEqual(first);
      await expect(subject.users.findById(second.id)).resolves.toBeNull();
    });

    it('gives concurrent sign-ups with one email the same stored user', async () => {
      const email = `${randomUUID()}@example.test`;
      const candidates = Array.from({ length: 5 }, () => newUser({ email }));

      const results = await Promise.all(candidates.map((c) => subject.users.upsertByEmail(c)));

      const winner = results[0]!;
      expect(candidates.map((c) => c.id)).toContain(winner.id);
      for (const result of results) expect(result).toEqual(winner);
      await expect(subject.users.findByEmail(email)).resolves.toEqual(winner);
    });
  });
}

function newUser(overrides: Partial<User> = {}): User {
  return aUser({ email: `${randomUUID()}@example.test`, passwordHash: `hash-${randomUUID()}`, createdAt: new Date('2026-03-04T05:06:07.089Z'), ...overrides });
}
