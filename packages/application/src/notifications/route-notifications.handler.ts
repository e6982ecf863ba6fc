import { createHash } from 'node:crypto';
import { categoryPolicy } from './notification-categories.js';
import { effectiveChannels, type DomainEvent, type EventHandler, type PreferenceRepository, type UserRepository } from '@pushline/domain';
import type { CreateNotification } from './create-notification.use-case.js';
import { ROUTING_RULES, type RoutingRule } from './routing-rules.js';

/** A notification id fixed by (event, rule, recipient): a retried event creates nothing twice. */
export function routedNotificationId(eventId: string, rule: string, userId: string): string {
  const h = createHash('sha256').update(`${eventId}\u0000${rule}\u0000${userId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The routing rules as an event handler: for each rule of the event's type, one notification per
 * recipient whose in-app preference for the rule's category is on (critical categories ignore mutes).
 */
export class RouteNotificationsHandler implements EventHandler {
  readonly name = 'notification-rules';
  readonly handles: readonly string[];

  constructor(
    private readonly create: CreateNotification,
    private readonly preferences: PreferenceRepository,
    private readonly rules: readonly RoutingRule[] = ROUTING_RULES,
    /** Finds a recipient's tenant when the event carries none (one written outside any request). */
    private readonly users?: Pick<UserRepository, 'findById'>,
  ) {
    this.handles = [...new Set(rules.map((r) => r.event.name))];
    for (const r of rules) if (!categoryPolicy(r.category)) throw new Error(`routing rule ${r.name}: unknown category ${r.category}`);
  }

  async handle(event: DomainEvent): Promise<void> {
    for (const rule of this.rules.filter((r) => r.event.name === event.type)) {
      const routed = rule.build(rule.event.schema.parse(event.data), event);
      if (!routed) continue;
      const policy = categoryPolicy(rule.category)!;
      for (const userId of new Set(routed.recipients)) {
        // The notification is in its recipient's tenant: the event's, else the user's (an unknown user gets none).
        const tenantId = event.tenantid ?? (await this.users?.findById(userId))?.tenantId;
        if (!tenantId) continue;
        if (!effectiveChannels(policy, await this.preferences.forUser(userId)).in_app) continue;
        await this.create.execute(
          {
            id: routedNotificationId(event.id, rule.name, userId),
            tenantId,
            userIds: [userId],
            title: routed.title,
            ...(routed.body !== undefined && { body: routed.body }),
            ...(routed.priority && { priority: routed.priority }),
            ...(routed.action && { action: routed.action }),
            ...(routed.groupKey && { groupKey: routed.groupKey }),
            category: rule.category,
            source: `rule:${rule.name}`,
          },
          { correlationId: event.correlationid ?? event.id, causationId: event.id, tenantId },
        );
      }
    }
  }
}
