import { NotFoundError, ValidationError, type DomainEvent, type EventArchive, type EventFactory, type RequestContext, type UnitOfWork } from '@pushline/domain';

export const MAX_REPLAY_EVENTS = 100;

export interface ReplayedEvent {
  readonly eventId: string;
  /** Id of the new entry; its envelope says `replayof: <eventId>`. */
  readonly replayId: string;
  /** Users whose own streams got the copy (0 for a broadcast). */
  readonly recipients: number;
  /** For a broadcast: the tenant whose shared stream got the copy. */
  readonly tenantId?: string;
}

/**
 * Sends chosen events again to the streams of the users who received them, as new entries that point at
 * the original (`replayof`), all in one transaction; a tenant broadcast goes again to its tenant's shared
 * stream (one entry, not one per member). Unknown ids → 404 and nothing is replayed.
 */
export class ReplayEventsToStreams {
  constructor(
    private readonly archive: EventArchive,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: EventFactory,
  ) {}

  async execute(eventIds: readonly string[], context: RequestContext = {}): Promise<readonly ReplayedEvent[]> {
    const ids = [...new Set(eventIds)];
    if (ids.length === 0 || ids.length > MAX_REPLAY_EVENTS) throw new ValidationError('eventIds', `name 1 to ${MAX_REPLAY_EVENTS} events`);
    const found = new Map((await this.archive.findByIds(ids)).map((e) => [e.id, e]));
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw new NotFoundError('event', missing);
    const plans = await Promise.all(
      ids.map(async (id) => ({ original: found.get(id)!, recipients: await this.archive.recipientsOf(id), tenantId: await this.archive.broadcastTenantOf(id) })),
    );
    const copies = plans.map(({ original, ...to }) => ({ copy: this.copyOf(original, context), ...to }));
    await this.unitOfWork.run(async (tx) => {
      for (const { copy, recipients, tenantId } of copies) {
        if (recipients.length > 0) await tx.events.publishTo(recipients, [copy]);
        if (tenantId) await tx.broadcasts.broadcast(tenantId, [copy]);
      }
    });
    return copies.map(({ copy, recipients, tenantId }, i) => ({ eventId: ids[i]!, replayId: copy.id, recipients: recipients.length, ...(tenantId && { tenantId }) }));
  }

  private copyOf(original: DomainEvent, context: RequestContext): DomainEvent {
    return this.events.stamp(
      {
        type: original.type,
        version: original.dataversion,
        subject: original.subject,
        data: original.data,
        source: original.source,
        replayof: original.id,
        ...(original.appid && { appid: original.appid }),
      },
      { ...context, ...(original.tenantid && { tenantId: original.tenantid }) },
    );
  }
}
