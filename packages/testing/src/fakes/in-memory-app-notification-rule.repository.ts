import type { AppNotificationRule, AppNotificationRuleRepository } from '@pushline/domain';

/** App notification rules in a map; `install` stands in for the installations table it joins. */
export class InMemoryAppNotificationRuleRepository implements AppNotificationRuleRepository {
  readonly rules = new Map<string, AppNotificationRule>();
  private readonly installs = new Set<string>();

  install(tenantId: string, appId: string, userId: string): void {
    this.installs.add(JSON.stringify([tenantId, appId, userId]));
  }

  async upsert(rule: AppNotificationRule): Promise<AppNotificationRule> {
    const key = JSON.stringify([rule.appId, rule.eventType]);
    const stored = { ...rule, createdAt: this.rules.get(key)?.createdAt ?? rule.createdAt };
    this.rules.set(key, stored);
    return stored;
  }

  async find(appId: string, eventType: string): Promise<AppNotificationRule | null> {
    return this.rules.get(JSON.stringify([appId, eventType])) ?? null;
  }

  async listByApp(appId: string): Promise<readonly AppNotificationRule[]> {
    return [...this.rules.values()].filter((r) => r.appId === appId).sort((a, b) => (a.eventType < b.eventType ? -1 : 1));
  }

  async remove(appId: string, eventType: string): Promise<boolean> {
    return this.rules.delete(JSON.stringify([appId, eventType]));
  }

  async categoriesForUser(userId: string): Promise<readonly string[]> {
    const mine = [...this.rules.values()].filter((r) => this.installs.has(JSON.stringify([r.tenantId, r.appId, userId])));
    return [...new Set(mine.map((r) => r.category))].sort();
  }
}
