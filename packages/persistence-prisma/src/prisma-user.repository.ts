import type { User, UserRepository } from '@pushline/domain';
import type { User as UserRow } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

export class PrismaUserRepository implements UserRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async findById(id: string): Promise<User | null> {
    const row = await this.db.user.findUnique({ where: { id } });
    return row && toUser(row);
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await this.db.user.findUnique({ where: { email } });
    return row && toUser(row);
  }

  async upsertByEmail(user: User): Promise<User> {
    // ON CONFLICT DO NOTHING, then read: two concurrent sign-ups with one email both get the winner,
    // where a find-then-create would let the loser fail on the unique index.
    await this.db.user.createMany({
      data: [{ id: user.id, email: user.email, passwordHash: user.passwordHash, createdAt: user.createdAt }],
      skipDuplicates: true,
    });
    const stored = await this.findByEmail(user.email);
    if (!stored) throw new Error(`user id ${user.id} is taken by another email`);
    return stored;
  }
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, passwordHash: row.passwordHash, createdAt: row.createdAt };
}
