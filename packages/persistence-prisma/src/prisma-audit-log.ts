import type { AuditEntry, AuditLog, AuditLogQuery } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';

export class PrismaAuditLog implements AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(entry: AuditEntry): Promise<void> {
    // The event id is the key: a handler run again for the same event keeps the one entry.
    await this.prisma.auditLogEntry.createMany({ data: [entry], skipDuplicates: true });
  }

  async list({ userId, type, before, limit }: AuditLogQuery): Promise<readonly AuditEntry[]> {
    return this.prisma.auditLogEntry.findMany({
      where: { ...(userId && { userId }), ...(type && { type }), ...(before && { occurredAt: { lt: before } }) },
      orderBy: [{ occurredAt: 'desc' }, { eventId: 'desc' }],
      take: limit,
    });
  }
}
