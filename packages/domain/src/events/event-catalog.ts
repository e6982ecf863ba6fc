import {
  notificationClicked,
  notificationCreated,
  notificationDismissed,
  notificationRead,
} from '../notification/notification-events.js';
import type { EventType } from './event-type.js';

/**
 * Every event type Pushline knows, declared once. Adding a type = declaring it (see
 * docs/adding-an-event.md) and listing it here; the stream, validation and docs pick it up.
 */
export const eventCatalog = [notificationCreated, notificationRead, notificationDismissed, notificationClicked] as const;

export type CatalogEventType = (typeof eventCatalog)[number];
export type CatalogEventName = CatalogEventType['name'];

const byName = new Map<string, EventType>(eventCatalog.map((t) => [t.name, t]));

export function findEventType(name: string): EventType | undefined {
  return byName.get(name);
}
