import type { z } from 'zod';

/**
 * How delivery adapters treat an event type:
 * - `must-deliver`: stored and replayed; a slow client is disconnected and resumes from its cursor.
 * - `latest-wins`: only the newest value matters; older queued ones may be dropped.
 * - `ephemeral`: pushed live to connected devices, never stored or replayed.
 */
export type DeliveryPolicy = 'must-deliver' | 'latest-wins' | 'ephemeral';

/** One event type, declared once; types, validation, wire format and docs all derive from it. */
export interface EventType<TName extends string = string, TSchema extends z.ZodType = z.ZodType> {
  readonly name: TName;
  readonly version: number;
  readonly description: string;
  readonly schema: TSchema;
  readonly delivery: DeliveryPolicy;
  /** The users whose devices receive an event of this type. */
  readonly audience: (data: z.output<TSchema>) => readonly string[];
  /**
   * The users an event is about when that is more than its audience: the apps' webhooks hear about
   * them although none of their devices receives it (a channel-only `notification.created`). Default:
   * the audience.
   */
  readonly about?: (data: z.output<TSchema>) => readonly string[];
  /**
   * A tenant-wide fact the operator may broadcast to a tenant's shared stream under this name (its data
   * checked by the schema), so the event handlers and routing rules of the type see it there too.
   * Other catalog names are refused as broadcasts: a client would read them as its own events.
   */
  readonly tenantBroadcast?: true;
  /**
   * How stored payloads of older versions become the current shape: `upcasters[n]` turns version `n`
   * data into version `n + 1`. Needed for every older version that may still be in the log.
   */
  readonly upcasters?: Readonly<Record<number, EventUpcaster>>;
}

/** Turns one stored payload of version `n` into version `n + 1`. Pure: no I/O, no clock. */
export type EventUpcaster = (data: Record<string, unknown>) => Record<string, unknown>;

export type EventPayload<T extends EventType> = z.output<T['schema']>;

export function defineEventType<const TName extends string, TSchema extends z.ZodType>(
  definition: EventType<TName, TSchema>,
): EventType<TName, TSchema> {
  if (!/^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*)+$/.test(definition.name)) {
    throw new Error(`event type name "${definition.name}" must be dotted lowercase, e.g. order.shipped`);
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`event type ${definition.name}: version must be a positive integer`);
  }
  for (const from of Object.keys(definition.upcasters ?? {}).map(Number)) {
    if (!Number.isInteger(from) || from < 1 || from >= definition.version) {
      throw new Error(`event type ${definition.name}: upcaster from version ${from} must be below version ${definition.version}`);
    }
  }
  return Object.freeze(definition);
}
