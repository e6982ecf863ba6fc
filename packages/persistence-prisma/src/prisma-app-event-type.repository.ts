import type { AppEventType, AppEventTypeRepository } from '@pushline/domain';
import type { AppEventType as Row, Prisma } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

export class PrismaAppEventTypeRepository implements AppEventTypeRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async create(type: AppEventType): Promise<boolean> {
    const { count } = await this.db.appEventType.createMany({ data: [{ ...type, schema: type.schema as Prisma.InputJsonObject }], skipDuplicates: true });
    return count === 1;
  }

  async find(appId: string, type: string, version?: number): Promise<AppEventType | null> {
    const row = await this.db.appEventType.findFirst({ where: { appId, type, ...(version !== undefined && { version }) }, orderBy: { version: 'desc' } });
    return row && toType(row);
  }

  async listByApp(appId: string): Promise<readonly AppEventType[]> {
    const rows = await this.db.appEventType.findMany({ where: { appId }, orderBy: [{ type: 'asc' }, { version: 'asc' }] });
    return rows.map(toType);
  }
}

function toType(row: Row): AppEventType {
  return { ...row, schema: row.schema as Record<string, unknown> };
}
