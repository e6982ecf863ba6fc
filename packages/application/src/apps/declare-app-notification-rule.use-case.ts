import {
  APP_RULE_LIMITS,
  NOTIFICATION_PRIORITIES,
  ValidationError,
  type AppEventTypeRepository,
  type AppNotificationRule,
  type AppNotificationRuleRepository,
  type AppPrincipal,
  type Clock,
  type NotificationPriority,
} from '@pushline/domain';
import { requireScope } from './authenticate-app.use-case.js';
import { checkTemplate } from './notification-template.js';

export interface DeclareAppNotificationRuleInput {
  readonly eventType: string;
  readonly title: string;
  readonly body?: string;
  readonly priority?: NotificationPriority;
  /** The declared part of the category (`app.<slug>.<category>`); the app's own `app.<slug>` when omitted. */
  readonly category?: string;
}

export interface DeclaredAppNotificationRule {
  readonly rule: AppNotificationRule;
  /** False when it replaced the app's rule for that event type. */
  readonly created: boolean;
}

/**
 * An app declares how one of its event types becomes a notification for the event's recipients who
 * installed it: templates checked here (placeholders naming fields of the type's schema), so a bad
 * rule is a 400 now, not a failing handler later. One rule per (app, event type); declaring again replaces it.
 */
export class DeclareAppNotificationRule {
  constructor(
    private readonly rules: AppNotificationRuleRepository,
    private readonly types: AppEventTypeRepository,
    private readonly clock: Clock,
  ) {}

  async execute(principal: AppPrincipal, input: DeclareAppNotificationRuleInput): Promise<DeclaredAppNotificationRule> {
    requireScope(principal, 'notifications:write');
    const declared = await this.types.find(principal.appId, input.eventType);
    if (!declared) throw new ValidationError('eventType', `${input.eventType} is not a declared event type of this app`);
    const properties = (declared.schema as { properties?: Record<string, unknown> }).properties;
    const template = (field: 'title' | 'body', text: string, max: number): void => {
      if (text.length > max) throw new ValidationError(field, `${field} must be at most ${max} characters`);
      const check = checkTemplate(text);
      if (!check.ok) throw new ValidationError(field, `${field} ${check.problem}`);
      const unknown = properties ? check.fields.find((f) => !Object.hasOwn(properties, f.split('.')[0]!)) : undefined;
      if (unknown) throw new ValidationError(field, `{{${unknown}}} is not a field of ${input.eventType}'s data`);
    };
    if (input.title.trim().length === 0) throw new ValidationError('title', 'title must not be empty');
    template('title', input.title, APP_RULE_LIMITS.titleTemplateMax);
    template('body', input.body ?? '', APP_RULE_LIMITS.bodyTemplateMax);
    const priority = input.priority ?? 'normal';
    if (!NOTIFICATION_PRIORITIES.includes(priority)) throw new ValidationError('priority', `priority must be one of ${NOTIFICATION_PRIORITIES.join(', ')}`);
    if (input.category !== undefined && !APP_RULE_LIMITS.categoryNamePattern.test(input.category)) {
      throw new ValidationError('category', 'category must be 1 to 19 characters of a-z, 0-9, _ and -, starting with a letter or digit');
    }

    const existing = await this.rules.find(principal.appId, input.eventType);
    if (!existing && (await this.rules.listByApp(principal.appId)).length >= APP_RULE_LIMITS.maxPerApp) {
      throw new ValidationError('eventType', `an app may declare at most ${APP_RULE_LIMITS.maxPerApp} notification rules`);
    }
    const now = this.clock.now();
    const rule = await this.rules.upsert({
      tenantId: principal.tenantId,
      appId: principal.appId,
      eventType: input.eventType,
      category: input.category ? `app.${principal.slug}.${input.category}` : `app.${principal.slug}`,
      title: input.title,
      body: input.body ?? '',
      priority,
      createdAt: now,
      updatedAt: now,
    });
    return { rule, created: !existing };
  }
}
