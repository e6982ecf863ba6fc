import { effectiveChannels, notificationCreated, type CategoryPolicy, type DomainEvent } from '@pushline/domain';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * The `webhook` channel preference, for the webhook outbox: a `notification.created` of a category
 * whose webhook channel the user turned off is not posted to the apps' subscriptions (critical
 * categories ignore the mute; an undeclared category has no preference and goes out). Read inside
 * the event's transaction. Other events are never muted here.
 */
export function webhookChannelMutes(policyOf: (category: string) => CategoryPolicy | undefined) {
  return async (tx: PrismaExecutor, userId: string, event: DomainEvent): Promise<boolean> => {
    if (event.type !== notificationCreated.name) return false;
    const category = (event.data as { category?: unknown } | null)?.category;
    const policy = typeof category === 'string' ? policyOf(category) : undefined;
    if (!policy) return false;
    const row = await tx.notificationPreference.findUnique({ where: { userId_category: { userId, category: policy.name } }, select: { webhook: true } });
    return !effectiveChannels(policy, row?.webhook == null ? {} : { [policy.name]: { webhook: row.webhook } }).webhook;
  };
}
