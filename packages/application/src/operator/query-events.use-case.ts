import type { DomainEvent, EventArchive, EventQuery, Page } from '@pushline/domain';

/** The operator's event query across tenants: by type, time range, app, tenant and user, newest first. */
export class QueryEvents {
  constructor(private readonly archive: EventArchive) {}

  execute(query: EventQuery): Promise<Page<DomainEvent>> {
    return this.archive.query(query);
  }
}
