import { beforeEach, describe, expect, it } from '@jest/globals';
import { ConflictError, NotFoundError, TenantDisabledError } from '@pushline/domain';
import {
  FakeTokenService,
  FixedClock,
  InMemorySessionStore,
  InMemoryTenantRepository,
  InMemoryUserRepository,
  PlainPasswordHasher,
  SequentialIdGenerator,
} from '@pushline/testing';
import { Authenticate } from '../auth/authenticate.use-case.js';
import { LogIn } from '../auth/log-in.use-case.js';
import { RegisterUser } from '../users/register-user.use-case.js';
import { DeleteTenant } from './delete-tenant.use-case.js';
import { SetTenantDisabled } from './set-tenant-disabled.use-case.js';

const password = 'correct horse battery';

describe('disabling and deleting a tenant', () => {
  let clock: FixedClock;
  let users: InMemoryUserRepository;
  let tenants: InMemoryTenantRepository;
  let logIn: LogIn;
  let authenticate: Authenticate;
  let userIds: string[];

  beforeEach(async () => {
    clock = new FixedClock();
    users = new InMemoryUserRepository();
    tenants = new InMemoryTenantRepository(users);
    const passwords = new PlainPasswordHasher();
    const tokens = new FakeTokenService(clock, 900);
    const sessions = new InMemorySessionStore();
    for (const id of ['acme', 'other']) await tenants.save({ id, name: id, createdAt: clock.now(), disabledAt: null });
    const register = new RegisterUser(users, tenants, passwords, new SequentialIdGenerator('user'), clock);
    userIds = [];
    for (const email of ['ada@acme.test', 'bob@acme.test']) userIds.push((await register.execute({ tenantId: 'acme', email, password })).id);
    await register.execute({ tenantId: 'other', email: 'cy@other.test', password });
    logIn = new LogIn(users, passwords, tokens, new SequentialIdGenerator('session'), sessions, clock, { absoluteSeconds: 86_400, idleSeconds: 3600 }, tenants);
    authenticate = new Authenticate(tokens, sessions, clock, users, tenants);
  });

  it('answers every user of a disabled tenant, keeps the first disable time, and refuses their tokens and logins', async () => {
    const { token } = await logIn.execute({ email: 'ada@acme.test', password });
    const other = await logIn.execute({ email: 'cy@other.test', password });
    const disable = new SetTenantDisabled(tenants, users, clock);

    const first = await disable.execute({ tenantId: 'acme', disabled: true });
    expect(first).toEqual({ tenant: expect.objectContaining({ id: 'acme', disabledAt: clock.now() }), userIds: expect.arrayContaining(userIds) });
    expect(first.userIds).toHaveLength(2);
    clock.advance(60_000);
    await expect(disable.execute({ tenantId: 'acme', disabled: true })).resolves.toMatchObject({ tenant: { disabledAt: first.tenant.disabledAt } });

    await expect(authenticate.execute(token)).rejects.toBeInstanceOf(TenantDisabledError);
    await expect(logIn.execute({ email: 'bob@acme.test', password })).rejects.toMatchObject({ code: 'tenant_disabled' });
    await expect(authenticate.execute(other.token)).resolves.toMatchObject({ tenantId: 'other' });

    await expect(disable.execute({ tenantId: 'acme', disabled: false })).resolves.toEqual({ tenant: expect.objectContaining({ disabledAt: null }), userIds: [] });
    await expect(authenticate.execute(token)).resolves.toMatchObject({ tenantId: 'acme' });
    await expect(disable.execute({ tenantId: 'nope', disabled: true })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes a tenant with its users, and a protected one only when the id is confirmed', async () => {
    const remove = new DeleteTenant(tenants, ['other']);

    await expect(remove.execute({ tenantId: 'acme' })).resolves.toEqual([...userIds].sort());
    await expect(users.findByEmail('ada@acme.test')).resolves.toBeNull();
    await expect(remove.execute({ tenantId: 'acme' })).rejects.toBeInstanceOf(NotFoundError);

    await expect(remove.execute({ tenantId: 'other' })).rejects.toBeInstanceOf(ConflictError);
    await expect(remove.execute({ tenantId: 'other', confirm: 'acme' })).rejects.toMatchObject({ code: 'tenant_protected', field: 'confirm' });
    await expect(users.findByEmail('cy@other.test')).resolves.not.toBeNull();
    await expect(remove.execute({ tenantId: 'other', confirm: 'other' })).resolves.toHaveLength(1);
  });
});
