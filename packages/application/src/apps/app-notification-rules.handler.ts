import { NOTIFICATION_LIMITS, type AppInstallationRepository, type AppNotificationRuleRepository, type DomainEvent, type EventAudienceLog, type EventHandler, type PreferenceRepository } from '@pushline/domain';
import { appCategoryPolicy } from '../notifications/app-categories.js';
import type { CreateNotification } from '../notifications/create-notification.use-case.js';
import { createRoutedPage } from '../notifications/create-routed-page.js';
import { renderTemplate } from './notification-template.js';

export interface AppNotificationRulesOptions {
  /** Recipients read (and notified in one transaction) per page. Default 25: a page must commit well within the transaction timeout (10 s). */
  readonly pageSize?: number;
  /** Pages per event at most; beyond it the job fails and is retried. Default 4000. */
  readonly maxPages?: number;
}

/**
 * Apps' events through their declared rules: for an event an app published, the app's rule for its
 * type (if any) makes one notification per recipient of the event who still has the app installed and
 * whose in-app preference for the rule's category is on. Recipients are read page by page from the
 * event's stream rows (its audience as published), each page one transaction; idempotent by event id.
 */
export class AppNotificationRulesHandler implements EventHandler {
  readonly name = 'app-notification-rules';
  readonly handles: readonly string[] = [];
  readonly handlesAppEvents = true;
  private readonly pageSize: number;
  private readonly maxPages: number;

  constructor(
    private readonly create: CreateNotification,
    private readonly preferences: PreferenceRepository,
    private readonly rules: Pick<AppNotificationRuleRepository, 'find'>,
    private readonly audience: EventAudienceLog,
    private readonly installations: Pick<AppInstallationRepository, 'installedAmong'>,
    options: AppNotificationRulesOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 25;
    this.maxPages = options.maxPages ?? 4000;
  }

  async handle(event: DomainEvent): Promise<void> {
    const { appid: appId, tenantid: tenantId } = event;
    if (!appId || !tenantId) return;
    const rule = await this.rules.find(appId, event.type);
    if (!rule || rule.tenantId !== tenantId) return;
    const title = renderTemplate(rule.title, event.data, NOTIFICATION_LIMITS.titleMax) || event.type;
    const content = { title, body: renderTemplate(rule.body, event.data, NOTIFICATION_LIMITS.bodyMax), priority: rule.priority };
    const policy = appCategoryPolicy(rule.category);

    let after: string | undefined;
    for (let page = 0; page < this.maxPages; page++) {
      const recipients = await this.audience.recipientsOf(event.id, after, this.pageSize);
      if (recipients.length === 0) return;
      // Installed now, not only at publish time: a user who uninstalled meanwhile gets nothing.
      const installed = await this.installations.installedAmong(tenantId, appId, recipients);
      const userIds = recipients.filter((u) => installed.has(u));
      if (userIds.length > 0) await createRoutedPage(this.create, this.preferences, { event, rule: `app:${appId}`, source: `app:${appId}`, policy, tenantId, userIds, content });
      if (recipients.length < this.pageSize) return;
      after = recipients.at(-1);
    }
    throw new Error(`app rule ${appId}/${event.type}: more than ${this.maxPages * this.pageSize} recipients; the pages so far are done`);
  }
}
