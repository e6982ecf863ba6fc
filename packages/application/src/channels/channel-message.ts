import { NOTIFICATION_PRIORITIES, type ChannelMessage, type Notification, type OutboundChannel } from '@pushline/domain';

/** Titles listed in a digest's body; the count says how many there were in all. */
const DIGEST_LISTED = 10;

/**
 * The message for one notification, or the digest of several (same user, channel and category):
 * "5 new notifications" with the newest titles, the highest priority, no single action.
 */
export function channelMessageOf(channel: OutboundChannel, notifications: readonly Notification[]): ChannelMessage {
  const snapshots = notifications.map((n) => n.toSnapshot()).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const first = snapshots[0];
  if (!first) throw new Error('a channel message needs at least one notification');
  const base = { tenantId: first.tenantId, userId: first.userId, channel, category: first.category, notificationIds: snapshots.map((s) => s.id) };
  if (snapshots.length === 1) {
    return {
      ...base,
      title: first.title,
      body: first.body,
      priority: first.priority,
      ...(first.action && { action: { url: first.action.url, label: first.action.label } }),
      count: 1,
    };
  }
  const rank = (p: string) => NOTIFICATION_PRIORITIES.indexOf(p as (typeof NOTIFICATION_PRIORITIES)[number]);
  const listed = snapshots.slice(0, DIGEST_LISTED).map((s) => `• ${s.title}`);
  const more = snapshots.length - listed.length;
  return {
    ...base,
    title: `${snapshots.length} new notifications`,
    body: [...listed, ...(more > 0 ? [`and ${more} more`] : [])].join('\n'),
    priority: snapshots.map((s) => s.priority).reduce((a, b) => (rank(b) > rank(a) ? b : a)),
    count: snapshots.length,
  };
}
