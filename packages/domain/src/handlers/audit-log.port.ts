/** One line of the audit log: who did what, when, from which device, as an event told it. */
export interface AuditEntry {
  readonly eventId: string;
  /** The event's tenant (`tenantid`); null for an event outside any tenant. */
  readonly tenantId?: string | null;
  readonly type: string;
  /** The user the event is about (`data.userId`), when it has one. */
  readonly userId: string | null;
  readonly subject: string;
  readonly deviceId: string | null;
  readonly correlationId: string | null;
  readonly source: string;
  readonly occurredAt: Date;
}

export interface AuditLogQuery {
  readonly userId?: string;
  readonly type?: string;
  /** Strictly before (newest first paging). */
  readonly before?: Date;
  readonly limit: number;
}

/** Append-only, idempotent by event id: recording the same event twice keeps one entry. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(query: AuditLogQuery): Promise<readonly AuditEntry[]>;
}
