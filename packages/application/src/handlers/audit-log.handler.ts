import type { AuditLog, DomainEvent, EventHandler } from '@pushline/domain';

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

/** The first event handler: writes who did what, from which device, to the audit log. */
export class AuditLogHandler implements EventHandler {
  readonly name = 'audit-log';
  readonly handles = AUDITED_TYPES;

  constructor(private readonly log: AuditLog) {}

  async handle(event: DomainEvent): Promise<void> {
    const userId = (event.data as { userId?: unknown } | null)?.userId;
    await this.log.record({
      eventId: event.id,
      tenantId: event.tenantid ?? null,
      type: event.type,
      userId: typeof userId === 'string' ? userId : null,
      subject: event.subject,
      deviceId: event.deviceid ?? null,
      correlationId: event.correlationid ?? null,
      source: event.source,
      occurredAt: new Date(event.time),
    });
  }
}
