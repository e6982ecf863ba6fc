import { categoryPolicy } from './notification-categories.js';
import type { DomainEvent, EventHandler, PreferenceRepository, UserRepository } from '@pushline/domain';
import type { CreateNotification } from './create-notification.use-case.js';
import { createRoutedPage, type RoutedContent } from './create-routed-page.js';
import { isEveryTenantMember, ROUTING_RULES, type RoutingRule } from './routing-rules.js';


export interface RouteNotificationsOptions {
  /** Tenant members read (and notified in one transaction) per page. Default 25: a page must commit well within the transaction timeout (10 s). */
  readonly pageSize?: number;
  /** Pages per event at most (a bound on the loop); beyond it the job fails and is retried. Default 4000. */
  readonly maxPages?: number;
}

/**
 * The routing rules as an event handler: for each rule of the event's type, one notification per
 * recipient whose in-app preference for the rule's category is on (critical categories ignore mutes).
 * A tenant-wide rule reaches every active member of the event's tenant, page by page.
 */
export class RouteNotificationsHandler implements EventHandler {
  readonly name = 'notification-rules';
  readonly handles: readonly string[];
  private readonly pageSize: number;
  private readonly maxPages: number;

  constructor(
    private readonly create: CreateNotification,
    private readonly preferences: PreferenceRepository,
    private readonly rules: readonly RoutingRule[] = ROUTING_RULES,
    /** Finds a recipient's tenant when the event carries none, and a tenant's members for tenant-wide rules. */
    private readonly users?: Pick<UserRepository, 'findById' | 'listByTenant'>,
    options: RouteNotificationsOptions = {},
  ) {
    this.handles = [...new Set(rules.map((r) => r.event.name))];
    for (const r of rules) if (!categoryPolicy(r.category)) throw new Error(`routing rule ${r.name}: unknown category ${r.category}`);
    this.pageSize = options.pageSize ?? 25;
    this.maxPages = options.maxPages ?? 4000;
  }

  async handle(event: DomainEvent): Promise<void> {
    for (const rule of this.rules.filter((r) => r.event.name === event.type)) {
      const routed = rule.build(rule.event.schema.parse(event.data), event);
      if (!routed) continue;
      const { recipients, ...content } = routed;
      if (isEveryTenantMember(recipients)) await this.toTenant(event, rule, content);
      else for (const userId of new Set(recipients)) await this.toUser(event, rule, content, userId);
    }
  }

  private async toUser(event: DomainEvent, rule: RoutingRule, content: RoutedContent, userId: string): Promise<void> {
    // The notification is in its recipient's tenant: the event's, else the user's (an unknown user gets none).
    const tenantId = event.tenantid ?? (await this.users?.findById(userId))?.tenantId;
    if (!tenantId) return;
    await createRoutedPage(this.create, this.preferences, { event, rule: rule.name, source: `rule:${rule.name}`, policy: categoryPolicy(rule.category)!, tenantId, userIds: [userId], content });
  }

  /** Page by page (keyset on the member list), each page one transaction; a rerun skips what exists. */
  private async toTenant(event: DomainEvent, rule: RoutingRule, content: RoutedContent): Promise<void> {
    const tenantId = event.tenantid;
    if (!tenantId || !this.users) return;
    let after: string | undefined;
    for (let page = 0; page < this.maxPages; page++) {
      const { items, nextCursor } = await this.users.listByTenant(tenantId, { limit: this.pageSize, ...(after !== undefined && { after }) });
      const active = items.filter((u) => u.tenantId === tenantId && !u.disabledAt).map((u) => u.id);
      if (active.length > 0) {
        await createRoutedPage(this.create, this.preferences, { event, rule: rule.name, source: `rule:${rule.name}`, policy: categoryPolicy(rule.category)!, tenantId, userIds: active, content });
      }
      if (!nextCursor) return;
      after = nextCursor;
    }
    throw new Error(`routing rule ${rule.name}: tenant ${tenantId} has more than ${this.maxPages * this.pageSize} members; the pages so far are done`);
  }
}
