import type { RegisterUser } from '@pushline/application';
import { ConflictError, type TenantRepository } from '@pushline/domain';

/** The seeded tenant of the demo users; fixed so the migration that introduced tenants can use it too. */
export const DEMO_TENANT = { id: '00000000-0000-4000-8000-000000000001', name: 'demo' } as const;

/** Seeded on the embedded database (and with SEED_DEMO=1), and printed at start-up. */
export const DEMO_USERS = [
  { email: 'alice@example.com', password: 'alice-demo-password' },
  { email: 'bob@example.com', password: 'bob-demo-password' },
] as const;

/** Idempotent: a second start finds the tenant and the users and leaves them as they are. */
export async function seedDemoUsers(tenants: TenantRepository, registerUser: RegisterUser): Promise<void> {
  await tenants.save({ ...DEMO_TENANT, createdAt: new Date(), disabledAt: null });
  for (const user of DEMO_USERS) {
    try {
      await registerUser.execute({ ...user, tenantId: DEMO_TENANT.id });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
