import type { AuditEntry, AuditLog, AuditLogQuery } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';
import { BatchedWrite } from './batched-write.js';
import { progressSqlOf } from './hot-sql.js';

export class PrismaAuditLog implements AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  // One per create (the audit handler runs for every notification.created): a hot statement, and
  // concurrent jobs' rows go as one. Written by a handler job, which runs again if this is lost: a
  // progress marker's commit (hot-sql.ts).
  private readonly rows = new BatchedWrite<AuditEntry>((entries) =>
    progressSqlOf(this.prisma).query(
      `INSERT INTO audit_log (event_id, type, user_id, subject, device_id, correlation_id, source, occurred_at, tenant_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
       ON CONFLICT (event_id) DO NOTHING`,
      [
        entries.map((e) => e.eventId),
        entries.map((e) => e.type),
        entries.map((e) => e.userId),
        entries.map((e) => e.subject),
        entries.map((e) => e.deviceId),
        entries.map((e) => e.correlationId),
        entries.map((e) => e.source),
        entries.map((e) => e.occurredAt.toISOString()),
        entries.map((e) => e.tenantId ?? null),
      ],
    ),
  );

  async record(entry: AuditEntry): Promise<void> {
    // The event id is the key: a handler run again for the same event keeps the one entry.
    await this.rows.add(entry);
  }

  async list({ userId, type, before, limit }: AuditLogQuery): Promise<readonly AuditEntry[]> {
    return this.prisma.auditLogEntry.findMany({
      where: { ...(userId && { userId }), ...(type && { type }), ...(before && { occurredAt: { lt: before } }) },
      orderBy: [{ occurredAt: 'desc' }, { eventId: 'desc' }],
      take: limit,
      // The operator's view is the entry as recorded; the tenant column serves tenant deletion.
      omit: { tenantId: true },
    });
  }
}
