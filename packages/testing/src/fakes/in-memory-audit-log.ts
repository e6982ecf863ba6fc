import type { AuditEntry, AuditLog, AuditLogQuery } from '@pushline/domain';

export class InMemoryAuditLog implements AuditLog {
  readonly entries = new Map<string, AuditEntry>();

  async record(entry: AuditEntry): Promise<void> {
    if (!this.entries.has(entry.eventId)) this.entries.set(entry.eventId, entry);
  }

  async list({ userId, type, before, limit }: AuditLogQuery): Promise<readonly AuditEntry[]> {
    return [...this.entries.values()]
      .filter((e) => (!userId || e.userId === userId) && (!type || e.type === type) && (!before || e.occurredAt < before))
      .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.eventId < b.eventId ? 1 : -1))
      .slice(0, limit);
  }
}
