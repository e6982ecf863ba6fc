import { storeMaintenanceScheduled, storeOrderShipped, type DomainEvent, type EventPayload, type EventType, type NotificationAction, type NotificationPriority } from '@pushline/domain';

/**
 * Every active (not disabled) member of the event's tenant: the handler reads them in pages and
 * creates each page's notifications in one transaction (an event without a tenant reaches nobody).
 */
export const EVERY_TENANT_MEMBER = Object.freeze({ everyTenantMember: true } as const);

/** Named users, or every active member of the event's tenant. */
export type RuleRecipients = readonly string[] | typeof EVERY_TENANT_MEMBER;

export function isEveryTenantMember(recipients: RuleRecipients): recipients is typeof EVERY_TENANT_MEMBER {
  return !Array.isArray(recipients) && (recipients as typeof EVERY_TENANT_MEMBER).everyTenantMember === true;
}

/** What one rule makes of one event: one notification per recipient. */
export interface RoutedNotification {
  readonly recipients: RuleRecipients;
  readonly title: string;
  readonly body?: string;
  readonly priority?: NotificationPriority;
  readonly action?: NotificationAction | null;
  readonly groupKey?: string | null;
}

/**
 * A declarative mapping from a domain event to notifications: pure, so each is testable alone.
 * `category` must be one of NOTIFICATION_CATEGORIES (preferences are per category).
 */
export interface RoutingRule<T extends EventType = EventType> {
  readonly name: string;
  readonly event: T;
  readonly category: string;
  /** One line for the generated docs table. */
  readonly summary: string;
  build(data: EventPayload<T>, event: DomainEvent): RoutedNotification | null;
}

function rule<T extends EventType>(r: RoutingRule<T>): RoutingRule {
  return r as unknown as RoutingRule;
}

/** Every routing rule, in one place (docs/notifications.md lists them). */
export const ROUTING_RULES: readonly RoutingRule[] = [
  rule({
    name: 'order-shipped',
    event: storeOrderShipped,
    category: 'orders',
    summary: '"Your order has shipped", priority normal, for the order\'s customer (`data.userId`), with a tracking link when given',
    build: (d) => ({
      recipients: [d.userId],
      title: 'Your order has shipped',
      body: d.carrier ? `Order ${d.orderId} is on its way with ${d.carrier}.` : `Order ${d.orderId} is on its way.`,
      priority: 'normal',
      action: d.trackingUrl ? { url: d.trackingUrl, label: 'Track' } : null,
      groupKey: `order:${d.orderId}`,
    }),
  }),
  rule({
    name: 'maintenance-scheduled',
    event: storeMaintenanceScheduled,
    category: 'announcements',
    summary: '"Scheduled maintenance", priority high, for **every active member of the event\'s tenant** (read in pages), with the message and the times',
    build: (d) => ({
      recipients: EVERY_TENANT_MEMBER,
      title: 'Scheduled maintenance',
      body: `${d.message ?? 'The store will be down for maintenance.'} From ${d.startsAt}${d.endsAt ? ` to ${d.endsAt}` : ''}.`,
      priority: 'high',
      groupKey: `maintenance:${d.startsAt}`,
    }),
  }),
];

/** The docs table of the rules (`docs/notifications.md`, checked by a test). */
export function routingRulesTable(rules: readonly RoutingRule[] = ROUTING_RULES): string {
  const rows = rules.map((r) => `| \`${r.name}\` | \`${r.event.name}\` | \`${r.category}\` | ${r.summary} |`);
  return ['| Rule | Event | Category | Makes |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
