import type { AppInstallationRepository, AppPrincipal, NotificationSnapshot, RequestContext } from '@pushline/domain';
import type { CreateNotification, CreateNotificationInput } from '../notifications/create-notification.use-case.js';
import { requireScope } from './authenticate-app.use-case.js';
import type { IdempotencyInput } from './idempotently.js';
import { resolveAppRecipients } from './resolve-app-recipients.js';

export interface PublishAppNotificationsInput extends Omit<CreateNotificationInput, 'tenantId' | 'userIds' | 'idempotency'> {
  readonly userIds: readonly string[];
  readonly idempotency?: IdempotencyInput;
}

/** An app creates a notification for each of the users (who all installed it) through `CreateNotification`. */
export class PublishAppNotifications {
  constructor(
    private readonly installations: AppInstallationRepository,
    private readonly createNotification: CreateNotification,
  ) {}

  async execute(principal: AppPrincipal, input: PublishAppNotificationsInput, context: RequestContext = {}): Promise<readonly NotificationSnapshot[]> {
    requireScope(principal, 'notifications:write');
    const userIds = await resolveAppRecipients(this.installations, principal, { userIds: input.userIds });
    const { idempotency, ...notification } = input;
    return this.createNotification.execute(
      { ...notification, tenantId: principal.tenantId, userIds, ...(idempotency && { idempotency: { scope: `app:${principal.appId}:notifications`, ...idempotency } }) },
      context,
    );
  }
}
