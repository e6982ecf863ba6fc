import type { Clock } from '../shared/clock.port.js';
import { InvalidEventError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/id-generator.port.js';
import type { RequestContext } from '../shared/request-context.js';
import type { DomainEvent } from './domain-event.js';
import type { z } from 'zod';
import type { EventPayload, EventType } from './event-type.js';

/**
 * Stamps a payload into a full envelope. Validation happens here, at the publisher, so an invalid
 * payload fails the use case that produced it and is never stored or pushed.
 */
export class EventFactory {
  constructor(
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly source: string,
  ) {}

  create<T extends EventType>(
    type: T,
    subject: string,
    /** The payload as the schema accepts it: fields with a default may be left out. */
    data: z.input<T['schema']>,
    context: RequestContext = {},
  ): DomainEvent<T['name'], EventPayload<T>> {
    const parsed = type.schema.safeParse(data);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new InvalidEventError(type.name, issues);
    }
    return this.stamp({ type: type.name, version: type.version, subject, data: parsed.data as EventPayload<T> }, context);
  }

  /**
   * Envelopes a payload the caller has already validated: app-declared types (checked against their
   * JSON Schema) and replays. `source` and extensions such as `appid` may be given.
   */
  stamp<TData>(
    event: { readonly type: string; readonly version: number; readonly subject: string; readonly data: TData; readonly source?: string; readonly appid?: string; readonly replayof?: string },
    context: RequestContext = {},
  ): DomainEvent<string, TData> {
    return {
      specversion: '1.0',
      id: this.ids.next(),
      source: event.source ?? this.source,
      type: event.type,
      dataversion: event.version,
      time: this.clock.now().toISOString(),
      subject: event.subject,
      datacontenttype: 'application/json',
      data: event.data,
      ...(context.correlationId && { correlationid: context.correlationId }),
      ...(context.causationId && { causationid: context.causationId }),
      ...(context.tenantId && { tenantid: context.tenantId }),
      ...(event.appid && { appid: event.appid }),
      ...(event.replayof && { replayof: event.replayof }),
      ...(context.deviceId && { deviceid: context.deviceId }),
    };
  }
}
