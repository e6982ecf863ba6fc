import { beforeEach, describe, expect, it } from '@jest/globals';
import { ValidationError } from '@pushline/domain';
import { FixedClock, InMemoryUserRepository, PlainPasswordHasher, SequentialIdGenerator } from '@pushline/testing';
import { PASSWORD_MIN_LENGTH, RegisterUser } from './register-user.use-case.js';

const password = 'x'.repeat(PASSWORD_MIN_LENGTH);

describe('RegisterUser', () => {
  let clock: FixedClock;
  let users: InMemoryUserRepository;
  let register: RegisterUser;

  beforeEach(() => {
    clock = new FixedClock('2026-03-01T10:00:00Z');
    users = new InMemoryUserRepository();
    register = new RegisterUser(users, new PlainPasswordHasher(), new SequentialIdGenerator('user'), clock);
  });

  it('stores the user with a normalized email and a hashed password', async () => {
    const user = await register.execute({ email: '  Ada@Example.COM ', password });

    expect(user).toEqual({
      id: 'user-1',
      email: 'ada@example.com',
      passwordHash: `plain:${password}`,
      createdAt: new Date('2026-03-01T10:00:00Z'),
    });
    expect(await users.findByEmail('ada@example.com')).toEqual(user);
  });

  it('returns the existing user for an email already registered (any casing)', async () => {
    const first = await register.execute({ email: 'ada@example.com', password });
    clock.advance(60_000);
    const second = await register.execute({ email: 'ADA@example.com', password: 'another long password' });

    expect(second).toEqual(first);
    expect(await users.findById('user-2')).toBeNull();
  });

  it.each([
    ['email', { email: 'not-an-address', password }],
    ['email', { email: 'two words@example.com', password }],
    ['email', { email: '   ', password }],
    ['password', { email: 'ada@example.com', password: 'x'.repeat(PASSWORD_MIN_LENGTH - 1) }],
  ])('rejects a bad %s naming the field and stores nothing', async (field, input) => {
    await expect(register.execute(input)).rejects.toThrow(expect.objectContaining({ field, constructor: ValidationError }));
    expect(await users.findById('user-1')).toBeNull();
  });
});
