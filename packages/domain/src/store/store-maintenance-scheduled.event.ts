import { z } from 'zod';
import { defineEventType } from '../events/event-type.js';

/**
 * A tenant-wide fact of the demo store: its shop will be down for maintenance. Published, it reaches no
 * user's stream; broadcast by the operator, it goes to the tenant's shared stream. Either way the
 * routing rule `maintenance-scheduled` notifies every active member of the event's tenant, once.
 */
export const storeMaintenanceScheduled = defineEventType({
  name: 'store.maintenance_scheduled',
  version: 1,
  description: 'Maintenance of the store was scheduled. In no user\'s stream; the operator may broadcast it to the tenant\'s stream. The `maintenance-scheduled` routing rule notifies every active member of the tenant.',
  schema: z.object({
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    message: z.string().min(1).max(500).optional(),
  }),
  delivery: 'must-deliver',
  audience: () => [],
  tenantBroadcast: true,
});
