import type { AppPrincipal, DomainEvent, EventArchive, EventQuery, Page } from '@pushline/domain';
import { requireScope } from './authenticate-app.use-case.js';

/** An app reads back the events it published (scope `events:read`), newest first; never another app's. */
export class ListAppEvents {
  constructor(private readonly archive: EventArchive) {}

  execute(principal: AppPrincipal, query: Omit<EventQuery, 'appId' | 'tenantId'>): Promise<Page<DomainEvent>> {
    requireScope(principal, 'events:read');
    return this.archive.query({ ...query, appId: principal.appId, tenantId: principal.tenantId });
  }
}
