import type { AuditEntry, AuditLog, DomainEvent, EventHandler } from '@pushline/domain';

/** Every notification change is audited; the badge counts follow from them and are left out. */
export const AUDITED_TYPES = [
  'notification.created',
  'notification.seen',
  'notification.read',
  'notification.unread',
  'notification.clicked',
  'notification.archived',
  'notification.unarchived',
  'notification.snoozed',
  'notification.unsnoozed',
  'notification.expired',
  'notification.deleted',
  'notification.bulk_changed',
] as const;

/** The audit handler's name: the persistence adapter writes its row with the event (decision 57). */
export const AUDIT_LOG_HANDLER = 'audit-log';

/** The audit log's line for an event: who did what, from which device. */
export function auditEntryOf(event: DomainEvent): AuditEntry {
  const userId = (event.data as { userId?: unknown } | null)?.userId;
  return {
    eventId: event.id,
    tenantId: event.tenantid ?? null,
    type: event.type,
    userId: typeof userId === 'string' ? userId : null,
    subject: event.subject,
    deviceId: event.deviceid ?? null,
    correlationId: event.correlationid ?? null,
    source: event.source,
    occurredAt: new Date(event.time),
  };
}

/**
 * The first event handler: writes who did what, from which device, to the audit log. The unit of
 * work that stores an audited event writes the same row itself (decision 57), so this runs only for
 * jobs written otherwise: an operator's replay of a dead letter, or a unit of work composed without
 * the inline row.
 */
export class AuditLogHandler implements EventHandler {
  readonly name = AUDIT_LOG_HANDLER;
  readonly handles = AUDITED_TYPES;

  constructor(private readonly log: AuditLog) {}

  async handle(event: DomainEvent): Promise<void> {
    await this.log.record(auditEntryOf(event));
  }
}
