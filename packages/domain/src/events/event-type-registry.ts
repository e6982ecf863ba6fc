import { InvalidEventError } from '../shared/errors.js';
import { EPHEMERAL_CURSOR, type StreamEntry } from '../stream/stream-entry.js';
import type { DomainEvent } from './domain-event.js';
import type { DeliveryPolicy, EventType } from './event-type.js';

/**
 * Looks event types up by name. Adapters take one instead of reaching for the module-level catalog,
 * so a test (or the event generator's check) can run them against a catalog of its own.
 */
export class EventTypeRegistry {
  private readonly byName: ReadonlyMap<string, EventType>;

  constructor(readonly types: readonly EventType[]) {
    const byName = new Map<string, EventType>();
    for (const type of types) {
      if (byName.has(type.name)) throw new Error(`event type ${type.name} is declared twice`);
      byName.set(type.name, type);
    }
    this.byName = byName;
  }

  find(name: string): EventType | undefined {
    return this.byName.get(name);
  }

  /** The type of `name`; an unknown name is a publisher's mistake and fails its unit of work. */
  require(name: string): EventType {
    const type = this.byName.get(name);
    if (!type) throw new InvalidEventError(name, 'not in the event catalog');
    return type;
  }

  /** Unknown types (e.g. from a newer instance during a rolling deploy) are treated as must-deliver. */
  deliveryOf(name: string): DeliveryPolicy {
    return this.byName.get(name)?.delivery ?? 'must-deliver';
  }

  /**
   * Resolves every event's audience and splits by policy: `stored` rows go to each recipient's durable
   * stream; `ephemeral` entries are pushed live after commit and never stored. Throws before returning
   * anything if one event is unknown or its audience fails, so a unit of work keeps none of them.
   */
  route(events: readonly DomainEvent[]): RoutedEvents {
    const stored: { userId: string; event: DomainEvent }[] = [];
    const ephemeral: StreamEntry[] = [];
    const aboutOnly: { userId: string; event: DomainEvent }[] = [];
    for (const event of events) {
      const type = this.require(event.type);
      const audience = new Set(type.audience(event.data));
      for (const userId of audience) {
        if (type.delivery === 'ephemeral') ephemeral.push({ userId, cursor: EPHEMERAL_CURSOR, event, ephemeral: true });
        else stored.push({ userId, event });
      }
      if (type.about && type.delivery !== 'ephemeral') {
        for (const userId of new Set(type.about(event.data))) if (!audience.has(userId)) aboutOnly.push({ userId, event });
      }
    }
    return { stored, ephemeral, aboutOnly };
  }

  /**
   * Routes events to exactly `recipients`: catalog types keep their delivery policy, types outside the
   * catalog (app-declared) are must-deliver. Recipients are de-duplicated.
   */
  routeTo(recipients: readonly string[], events: readonly DomainEvent[]): RoutedEvents {
    const stored: { userId: string; event: DomainEvent }[] = [];
    const ephemeral: StreamEntry[] = [];
    const users = [...new Set(recipients)];
    for (const event of events) {
      const live = this.byName.get(event.type)?.delivery === 'ephemeral';
      for (const userId of users) {
        if (live) ephemeral.push({ userId, cursor: EPHEMERAL_CURSOR, event, ephemeral: true });
        else stored.push({ userId, event });
      }
    }
    return { stored, ephemeral, aboutOnly: [] };
  }

  /**
   * Brings a stored event to its type's current version through the declared upcasters. Events already
   * current, and events of unknown types, are returned as they are.
   */
  upcast(event: DomainEvent): DomainEvent {
    const type = this.byName.get(event.type);
    if (!type || event.dataversion >= type.version) return event;
    let data = event.data as Record<string, unknown>;
    for (let version = event.dataversion; version < type.version; version += 1) {
      const upcaster = type.upcasters?.[version];
      if (!upcaster) throw new Error(`event type ${type.name} has no upcaster from version ${version}`);
      data = upcaster(data);
    }
    return { ...event, dataversion: type.version, data };
  }
}

export interface RoutedEvents {
  /** One row per (recipient, event) for the durable streams, in publish order. */
  readonly stored: readonly { readonly userId: string; readonly event: DomainEvent }[];
  /** Live-only entries, one per (recipient, event). */
  readonly ephemeral: readonly StreamEntry[];
  /**
   * (user, event) pairs of stored events that are about a user outside their audience (`EventType.about`):
   * no stream row, but the apps' webhooks may hear of them.
   */
  readonly aboutOnly: readonly { readonly userId: string; readonly event: DomainEvent }[];
}
