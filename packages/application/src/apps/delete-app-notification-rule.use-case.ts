import { NotFoundError, type AppNotificationRuleRepository, type AppPrincipal } from '@pushline/domain';
import { requireScope } from './authenticate-app.use-case.js';

/** Removes the app's rule for an event type: its later events make no notification (earlier ones stay). */
export class DeleteAppNotificationRule {
  constructor(private readonly rules: AppNotificationRuleRepository) {}

  async execute(principal: AppPrincipal, eventType: string): Promise<void> {
    requireScope(principal, 'notifications:write');
    if (!(await this.rules.remove(principal.appId, eventType))) throw new NotFoundError('notification rule', eventType);
  }
}
