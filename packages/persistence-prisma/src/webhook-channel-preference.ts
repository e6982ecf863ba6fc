import { effectiveChannels, notificationCreated, type CategoryPolicy, type DomainEvent } from '@pushline/domain';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * The `webhook` channel preference, for the webhook outbox: a `notification.created` of a category
 * whose webhook channel the user turned off is not posted to the apps' subscriptions (critical
 * categories ignore the mute; an undeclared category has no preference and goes out). One query per
 * batch, inside the event's transaction. Other events are never muted here.
 *
 * Only a choice stored in the event's tenant counts (issue #10): another tenant's row for the same user
 * (left from before a move) never mutes it. An event outside any tenant (no `tenantid`, as the tests'
 * and system events) is still its user's: the user's tenant stands in. Filtering on the envelope's
 * tenant alone left those unmuted, which is how the first attempt at this failed its PostgreSQL test.
 */
export function webhookChannelMutes(policyOf: (category: string) => CategoryPolicy | undefined) {
  const mutedRows = async (tx: PrismaExecutor, rows: readonly { readonly userId: string; readonly event: DomainEvent }[]): Promise<ReadonlySet<number>> => {
    const candidates = rows.flatMap(({ userId, event }, i) => {
      if (event.type !== notificationCreated.name) return [];
      const category = (event.data as { category?: unknown } | null)?.category;
      const policy = typeof category === 'string' ? policyOf(category) : undefined;
      return policy && !policy.critical ? [{ i, userId, tenantId: event.tenantid ?? null, policy }] : [];
    });
    if (candidates.length === 0) return new Set();
    const stored = await tx.$queryRaw<{ i: number; webhook: boolean | null }[]>`
      SELECT c.i, p.webhook
      FROM unnest(${candidates.map((c) => c.i)}::int[], ${candidates.map((c) => c.userId)}::text[], ${candidates.map((c) => c.policy.name)}::text[], ${candidates.map((c) => c.tenantId)}::text[])
        AS c(i, user_id, category, tenant_id)
      JOIN notification_preferences p ON p.user_id = c.user_id AND p.category = c.category
        AND p.tenant_id = COALESCE(c.tenant_id, (SELECT u.tenant_id FROM users u WHERE u.id = c.user_id))`;
    const choice = new Map(stored.map((r) => [Number(r.i), r.webhook]));
    return new Set(
      candidates
        .filter(({ i, policy }) => {
          const webhook = choice.get(i);
          return !effectiveChannels(policy, webhook == null ? {} : { [policy.name]: { webhook } }).webhook;
        })
        .map((c) => c.i),
    );
  };
  // The same rule for the one-statement write path, which checks the stored choice in SQL.
  return Object.assign(mutedRows, { muteOf: (event: DomainEvent) => webhookMuteOf(policyOf, event) });
}

/**
 * Whether the user's stored `webhook` choice can mute this event, and the category's default when
 * nothing is stored: null for events never muted (not a notification.created, an undeclared or a
 * critical category). `webhookChannelMutes` and the one-statement write path apply the same rule.
 */
export function webhookMuteOf(
  policyOf: (category: string) => CategoryPolicy | undefined,
  event: DomainEvent,
): { readonly category: string; readonly webhookByDefault: boolean } | null {
  if (event.type !== notificationCreated.name) return null;
  const category = (event.data as { category?: unknown } | null)?.category;
  const policy = typeof category === 'string' ? policyOf(category) : undefined;
  if (!policy || policy.critical) return null;
  return { category: policy.name, webhookByDefault: effectiveChannels(policy, {}).webhook };
}
