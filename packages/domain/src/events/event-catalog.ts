import {
  notificationBulkChanged,
  notificationCounts,
  notificationCreated,
  notificationDismissed,
  notificationStateEvents,
} from '../notification/notification-events.js';
import { notificationUnreadCount } from '../notification/notification-unread-count.event.js';
import { presenceTyping } from '../presence/presence-typing.event.js';
import { storeMaintenanceScheduled } from '../store/store-maintenance-scheduled.event.js';
import { storeOrderShipped } from '../store/store-order-shipped.event.js';
import { EventTypeRegistry } from './event-type-registry.js';
import type { EventType } from './event-type.js';

/**
 * Every event type Pushline knows, declared once. Adding a type = declaring it (see
 * docs/adding-an-event.md) and listing it here; the stream, validation and docs pick it up.
 */
export const eventCatalog = [
  notificationCreated,
  ...Object.values(notificationStateEvents),
  notificationBulkChanged,
  notificationCounts,
  notificationDismissed,
  notificationUnreadCount,
  storeMaintenanceScheduled,
  storeOrderShipped,
  presenceTyping,
] as const;

export type CatalogEventType = (typeof eventCatalog)[number];
export type CatalogEventName = CatalogEventType['name'];

/** The catalog as a lookup: what the adapters use unless a test gives them a catalog of its own. */
export const defaultEventTypes = new EventTypeRegistry(eventCatalog);

export function findEventType(name: string): EventType | undefined {
  return defaultEventTypes.find(name);
}
