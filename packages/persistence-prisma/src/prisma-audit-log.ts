import type { AuditEntry, AuditLog, AuditLogQuery } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';
import { progressSqlOf } from './hot-sql.js';

export class PrismaAuditLog implements AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(entry: AuditEntry): Promise<void> {
    // The event id is the key: a handler run again for the same event keeps the one entry.
    // One per create (the audit handler runs for every notification.created): a hot statement. Written by
    // a handler job, which runs again if this is lost: a progress marker's commit (hot-sql.ts).
    await progressSqlOf(this.prisma).query(
      `INSERT INTO audit_log (event_id, type, user_id, subject, device_id, correlation_id, source, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING`,
      [entry.eventId, entry.type, entry.userId, entry.subject, entry.deviceId, entry.correlationId, entry.source, entry.occurredAt],
    );
  }

  async list({ userId, type, before, limit }: AuditLogQuery): Promise<readonly AuditEntry[]> {
    return this.prisma.auditLogEntry.findMany({
      where: { ...(userId && { userId }), ...(type && { type }), ...(before && { occurredAt: { lt: before } }) },
      orderBy: [{ occurredAt: 'desc' }, { eventId: 'desc' }],
      take: limit,
    });
  }
}
