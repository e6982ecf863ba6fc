import { createHash } from 'node:crypto';
import { effectiveChannels, type CategoryPolicy, type DomainEvent, type NotificationAction, type NotificationPriority, type PreferenceRepository } from '@pushline/domain';
import type { CreateNotification } from './create-notification.use-case.js';

/** A notification id fixed by (event, rule, recipient): a retried event creates nothing twice. */
export function routedNotificationId(eventId: string, rule: string, userId: string): string {
  const h = createHash('sha256').update(`${eventId}\u0000${rule}\u0000${userId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What a rule (built in, or an app's) makes for each recipient. */
export interface RoutedContent {
  readonly title: string;
  readonly body?: string;
  readonly priority?: NotificationPriority;
  readonly action?: NotificationAction | null;
  readonly groupKey?: string | null;
}

export interface RoutedPage {
  readonly event: DomainEvent;
  /** The rule's stable name: part of each notification's fixed id. */
  readonly rule: string;
  readonly source: string;
  readonly policy: CategoryPolicy;
  readonly tenantId: string;
  readonly userIds: readonly string[];
  readonly content: RoutedContent;
}

/**
 * One page of a rule's recipients: those whose in-app preference for the category is on get the
 * notification, all in one transaction (nothing half-written), with ids fixed by (event, rule, user)
 * so a page run again after a crash or a retry creates nothing twice. Resolves to how many were asked for.
 */
export async function createRoutedPage(create: CreateNotification, preferences: PreferenceRepository, page: RoutedPage): Promise<number> {
  const wanted: string[] = [];
  for (const userId of new Set(page.userIds)) {
    if (effectiveChannels(page.policy, await preferences.forUser({ tenantId: page.tenantId, userId })).in_app) wanted.push(userId);
  }
  if (wanted.length === 0) return 0;
  const { content, event } = page;
  await create.execute(
    {
      idOf: (userId) => routedNotificationId(event.id, page.rule, userId),
      tenantId: page.tenantId,
      userIds: wanted,
      title: content.title,
      ...(content.body !== undefined && { body: content.body }),
      ...(content.priority && { priority: content.priority }),
      ...(content.action && { action: content.action }),
      ...(content.groupKey && { groupKey: content.groupKey }),
      category: page.policy.name,
      source: page.source,
    },
    { correlationId: event.correlationid ?? event.id, causationId: event.id, tenantId: page.tenantId },
  );
  return wanted.length;
}
