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
 * One page of a rule's recipients, all in one transaction (nothing half-written), with ids fixed by
 * (event, rule, user) so a page run again after a crash or a retry creates nothing twice. Per
 * recipient, the preferences of the category decide: in-app on, a notification in the inbox (and the
 * outbound channels that are on); in-app off but email, web push or the webhook on, a channel-only
 * notification (never shown in the app); everything off, nothing. Resolves to how many were created.
 */
export async function createRoutedPage(create: CreateNotification, preferences: PreferenceRepository, page: RoutedPage): Promise<number> {
  const wanted: string[] = [];
  const channelOnly = new Set<string>();
  for (const userId of new Set(page.userIds)) {
    const channels = effectiveChannels(page.policy, await preferences.forUser({ tenantId: page.tenantId, userId }));
    if (channels.in_app) wanted.push(userId);
    else if (channels.email || channels.web_push || channels.webhook) {
      wanted.push(userId);
      channelOnly.add(userId);
    }
  }
  if (wanted.length === 0) return 0;
  const { content, event } = page;
  await create.execute(
    {
      idOf: (userId) => routedNotificationId(event.id, page.rule, userId),
      tenantId: page.tenantId,
      userIds: wanted,
      ...(channelOnly.size > 0 && { shownInApp: (userId: string) => !channelOnly.has(userId) }),
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
