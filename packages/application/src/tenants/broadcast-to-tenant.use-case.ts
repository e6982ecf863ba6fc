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
 * stream's control names, unless its declaration is a tenant-wide fact (`tenantBroadcast`). The event
 * handlers and webhooks see the broadcast as they see a published event: one job, one delivery per
 * subscription (written by the unit of work with the stream row).
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
    const declared = this.catalog.find(input.type);
    if (input.type.startsWith('stream.') || (declared && !declared.tenantBroadcast)) {
      throw new ValidationError('type', `type ${input.type} is reserved (a built-in event or stream control); choose a name of your own`);
    }
    if (input.subject.length === 0 || input.subject.length > APP_LIMITS.subjectMax) {
      throw new ValidationError('subject', `subject must be 1 to ${APP_LIMITS.subjectMax} characters`);
    }
    if (Buffer.byteLength(JSON.stringify(input.data ?? null)) > APP_LIMITS.dataMaxBytes) {
      throw new ValidationError('data', `data must serialize to at most ${APP_LIMITS.dataMaxBytes} bytes`);
    }
    // A catalog type declared for broadcast (store.maintenance_scheduled) keeps its schema and version.
    const parsed = declared?.schema.safeParse(input.data ?? {});
    if (parsed && !parsed.success) {
      const [issue] = parsed.error.issues;
      throw new ValidationError(['data', ...(issue?.path ?? [])].join('.'), `data does not match ${input.type}: ${issue?.message ?? 'invalid'}`);
    }
    if (!(await this.tenants.findById(input.tenantId))) throw new NotFoundError('tenant', input.tenantId);

    const event = this.events.stamp(
      { type: input.type, version: declared?.version ?? 1, subject: input.subject, data: parsed ? parsed.data : (input.data ?? null), source: '/pushline/operator' },
      { ...context, tenantId: input.tenantId },
    );
    await this.unitOfWork.run((tx) => tx.broadcasts.broadcast(input.tenantId, [event]));
    return { id: event.id, tenantId: input.tenantId, type: event.type };
  }
}
