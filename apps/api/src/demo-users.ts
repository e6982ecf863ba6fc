import type { RegisterUser } from '@pushline/application';

/** Seeded on the embedded database (and with SEED_DEMO=1), and printed at start-up. */
export const DEMO_USERS = [
  { email: 'alice@example.com', password: 'alice-demo-password' },
  { email: 'bob@example.com', password: 'bob-demo-password' },
] as const;

export async function seedDemoUsers(registerUser: RegisterUser): Promise<void> {
  for (const user of DEMO_USERS) await registerUser.execute(user);
}
