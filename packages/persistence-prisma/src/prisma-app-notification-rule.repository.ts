import type { AppNotificationRule, AppNotificationRuleRepository, NotificationPriority } from '@pushline/domain';
import { hotSqlOf } from './hot-sql.js';
import type { PrismaExecutor } from './prisma-executor.js';

type Row = Omit<AppNotificationRule, 'priority'> & { priority: string };

const toRule = (row: Row): AppNotificationRule => ({ ...row, priority: row.priority as NotificationPriority });

/** `app_notification_rules`: every query names the app (its key was checked by the caller). */
export class PrismaAppNotificationRuleRepository implements AppNotificationRuleRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async upsert(rule: AppNotificationRule): Promise<AppNotificationRule> {
    const { createdAt, ...changes } = rule;
    const row = await this.db.appNotificationRule.upsert({
      where: { appId_eventType: { appId: rule.appId, eventType: rule.eventType } },
      create: rule,
      update: { category: changes.category, title: changes.title, body: changes.body, priority: changes.priority, updatedAt: changes.updatedAt },
    });
    return toRule(row);
  }

  /** The rules handler asks for every app event, most often for none: the prepared `pg` path (decision 60). */
  async find(appId: string, eventType: string): Promise<AppNotificationRule | null> {
    const [row] = await hotSqlOf(this.db).query<Row>(
      `SELECT tenant_id AS "tenantId", app_id AS "appId", event_type AS "eventType", category, title, body, priority,
         created_at AS "createdAt", updated_at AS "updatedAt"
       FROM app_notification_rules WHERE app_id = $1 AND event_type = $2`,
      [appId, eventType],
    );
    return row ? toRule(row) : null;
  }

  async listByApp(appId: string): Promise<readonly AppNotificationRule[]> {
    return (await this.db.appNotificationRule.findMany({ where: { appId }, orderBy: { eventType: 'asc' } })).map(toRule);
  }

  async remove(appId: string, eventType: string): Promise<boolean> {
    const { count } = await this.db.appNotificationRule.deleteMany({ where: { appId, eventType } });
    return count > 0;
  }

  async categoriesForUser(userId: string): Promise<readonly string[]> {
    const rows = await this.db.$queryRaw<{ category: string }[]>`
      SELECT DISTINCT r.category FROM app_notification_rules r
      JOIN app_installations i ON i.app_id = r.app_id AND i.tenant_id = r.tenant_id
      WHERE i.user_id = ${userId}
      ORDER BY r.category`;
    return rows.map((r) => r.category);
  }
}
