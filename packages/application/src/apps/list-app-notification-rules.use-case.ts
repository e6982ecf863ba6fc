import type { AppNotificationRule, AppNotificationRuleRepository, AppPrincipal } from '@pushline/domain';
import { requireScope } from './authenticate-app.use-case.js';

/** The app's notification rules, by event type (`notifications:write`: rules are part of how it notifies). */
export class ListAppNotificationRules {
  constructor(private readonly rules: AppNotificationRuleRepository) {}

  async execute(principal: AppPrincipal): Promise<readonly AppNotificationRule[]> {
    requireScope(principal, 'notifications:write');
    return this.rules.listByApp(principal.appId);
  }
}
