import {
  APP_LIMITS,
  NotFoundError,
  ValidationError,
  defaultEventTypes,
  type EventFactory,
  type EventTypeRegistry,
  type RequestContext,
  type TenantRepository,
  type UnitOfWork,
} from '@pushline/domain';

export interface BroadcastInput {
  readonly tenantId: string;
  readonly type: string;
  readonly subject: string;
  readonly data: unknown;
}

export interface Broadcast {
  readonly id: string;
  readonly tenantId: string;
  readonly type: string;
}

/** A dotted name of lower-case segments, like the catalog's (`maintenance.scheduled`). */
const BROADCAST_TYPE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;
const TYPE_MAX = 100;

/**
 * The operator broadcasts an event to every user of a tenant: one entry in the tenant's shared stream
 * (not one row per user), which every device of the tenant reads beside its own stream. The type is
 * the operator's own, so it may not take a catalog name (clients would read it as that event) nor the
 * stream's control names.
 */
export class BroadcastToTenant {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: EventFactory,
    private readonly catalog: EventTypeRegistry = defaultEventTypes,
  ) {}

  async execute(input: BroadcastInput, context: RequestContext = {}): Promise<Broadcast> {
    if (input.type.length > TYPE_MAX || !BROADCAST_TYPE.test(input.type)) {
      throw new ValidationError('type', `type must be a dotted lower-case name of at most ${TYPE_MAX} characters, e.g. maintenance.scheduled`);
    }
    if (input.type.startsWith('stream.') || this.catalog.find(input.type)) {
      throw new ValidationError('type', `type ${input.type} is reserved (a built-in event or stream control); choose a name of your own`);
    }
    if (input.subject.length === 0 || input.subject.length > APP_LIMITS.subjectMax) {
      throw new ValidationError('subject', `subject must be 1 to ${APP_LIMITS.subjectMax} characters`);
    }
    if (Buffer.byteLength(JSON.stringify(input.data ?? null)) > APP_LIMITS.dataMaxBytes) {
      throw new ValidationError('data', `data must serialize to at most ${APP_LIMITS.dataMaxBytes} bytes`);
    }
    if (!(await this.tenants.findById(input.tenantId))) throw new NotFoundError('tenant', input.tenantId);

    const event = this.events.stamp(
      { type: input.type, version: 1, subject: input.subject, data: input.data ?? null, source: '/pushline/operator' },
      { ...context, tenantId: input.tenantId },
    );
    await this.unitOfWork.run((tx) => tx.broadcasts.broadcast(input.tenantId, [event]));
    return { id: event.id, tenantId: input.tenantId, type: event.type };
  }
}
