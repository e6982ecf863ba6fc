import type { CategoryPolicy } from '@pushline/domain';

/**
 * Every notification category, declared once: its defaults per channel and whether it is critical.
 * Preferences are per category; a category missing here cannot be set (400). Documented in
 * docs/notifications.md.
 */
export const NOTIFICATION_CATEGORIES: readonly CategoryPolicy[] = [
  { name: 'test', description: "A user's own test notification", critical: false, defaults: { in_app: true, email: false, web_push: false, webhook: true } },
  { name: 'orders', description: 'Orders: shipped, delivered', critical: false, defaults: { in_app: true, email: true, web_push: true, webhook: true } },
  { name: 'announcements', description: 'Tenant-wide news: maintenance, outages', critical: false, defaults: { in_app: true, email: true, web_push: false, webhook: true } },
  // Mentions come in bursts: email and web push send one digest per 10 minutes (in-app shows each).
  {
    name: 'mentions',
    description: 'Someone mentioned you',
    critical: false,
    defaults: { in_app: true, email: false, web_push: true, webhook: true },
    digest: { windowMs: 10 * 60_000 },
  },
  { name: 'security', description: 'Security alerts: new sign-ins, password changes', critical: true, defaults: { in_app: true, email: true, web_push: true, webhook: true } },
];

export function categoryPolicy(name: string): CategoryPolicy | undefined {
  return NOTIFICATION_CATEGORIES.find((c) => c.name === name);
}
