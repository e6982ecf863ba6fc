import type { CategoryPolicy } from '@pushline/domain';

/** An app's notifications are in `app.<slug>` or `app.<slug>.<name>`: apart from the built-in ones, never critical. */
export function isAppCategory(name: string): boolean {
  return /^app\.[a-z][a-z0-9]{1,39}(\.[a-z0-9][a-z0-9_-]{0,18})?$/.test(name);
}

/**
 * The policy of an app's category: in-app on, the other channels off until the user turns them on
 * (an app cannot make itself loud), never critical (an app cannot make itself unmutable).
 */
export function appCategoryPolicy(name: string): CategoryPolicy {
  return { name, description: `Notifications of the app ${name.split('.')[1]}`, critical: false, defaults: { in_app: true, email: false, web_push: false, webhook: true } };
}
