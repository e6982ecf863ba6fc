import type { Page, Tenant, TenantRepository } from '@pushline/domain';
import { afterCursor, OLDEST_FIRST, toPage } from './keyset-page.js';
import type { PrismaExecutor } from './prisma-executor.js';

export class PrismaTenantRepository implements TenantRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async save(tenant: Tenant): Promise<void> {
    await this.db.tenant.createMany({ data: [tenant], skipDuplicates: true });
  }

  async findById(id: string): Promise<Tenant | null> {
    return this.db.tenant.findUnique({ where: { id } });
  }

  async list({ limit, after }: { limit: number; after?: string }): Promise<Page<Tenant>> {
    const rows = await this.db.tenant.findMany({ where: afterCursor(after), orderBy: OLDEST_FIRST, take: limit + 1 });
    return toPage(rows, limit, (row) => row);
  }
}
