import { beforeEach, describe, expect, it } from '@jest/globals';
import { ConflictError, NotFoundError, ValidationError } from '@pushline/domain';
import { FixedClock, InMemoryTenantRepository, InMemoryUserRepository, PlainPasswordHasher, SequentialIdGenerator } from '@pushline/testing';
import { PASSWORD_MIN_LENGTH, RegisterUser } from './register-user.use-case.js';

const password = 'x'.repeat(PASSWORD_MIN_LENGTH);

describe('RegisterUser', () => {
  let clock: FixedClock;
  let users: InMemoryUserRepository;
  let register: RegisterUser;

  beforeEach(async () => {
    clock = new FixedClock('2026-03-01T10:00:00Z');
    users = new InMemoryUserRepository();
    const tenants = new InMemoryTenantRepository();
    await tenants.save({ id: 't1', name: 'acme', createdAt: clock.now(), disabledAt: null });
    register = new RegisterUser(users, tenants, new PlainPasswordHasher(), new SequentialIdGenerator('user'), clock);
  });

  it('stores the user in its tenant with a normalized email and a hashed password', async () => {
    const user = await register.execute({ tenantId: 't1', email: '  Ada@Example.COM ', password });

    expect(user).toEqual({
      id: 'user-1',
      tenantId: 't1',
      email: 'ada@example.com',
      passwordHash: `plain:${password}`,
      externalId: null,
      disabledAt: null,
      createdAt: new Date('2026-03-01T10:00:00Z'),
    });
    expect(await users.findByEmail('ada@example.com')).toEqual(user);
  });

  it('stores a user without a password, who cannot log in here', async () => {
    const user = await register.execute({ tenantId: 't1', email: 'app-only@example.com' });
    expect(user.passwordHash).toBeNull();
  });

  it('refuses an email already registered (any casing, any tenant) with a 409 naming the field', async () => {
    await register.execute({ tenantId: 't1', email: 'ada@example.com', password });
    clock.advance(60_000);

    await expect(register.execute({ tenantId: 't1', email: 'ADA@example.com', password: 'another long password' })).rejects.toThrow(
      expect.objectContaining({ field: 'email', code: 'email_taken', constructor: ConflictError }),
    );
    expect(await users.findById('user-2')).toBeNull();
  });

  it('refuses an unknown tenant', async () => {
    await expect(register.execute({ tenantId: 'nope', email: 'ada@example.com', password })).rejects.toThrow(NotFoundError);
  });

  it.each([
    ['email', { email: 'not-an-address', password }],
    ['email', { email: 'two words@example.com', password }],
    ['email', { email: '   ', password }],
    ['password', { email: 'ada@example.com', password: 'x'.repeat(PASSWORD_MIN_LENGTH - 1) }],
  ])('rejects a bad %s naming the field and stores nothing', async (field, input) => {
    await expect(register.execute({ tenantId: 't1', ...input })).rejects.toThrow(expect.objectContaining({ field, constructor: ValidationError }));
    expect(await users.findById('user-1')).toBeNull();
  });
});
