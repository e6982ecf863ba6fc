import { z } from 'zod';
import { defineEventType } from '../events/event-type.js';

/**
 * A tenant-wide fact of the demo store: its shop will be down for maintenance. Not pushed to devices
 * itself; the routing rule `maintenance-scheduled` notifies every active member of the event's tenant.
 */
export const storeMaintenanceScheduled = defineEventType({
  name: 'store.maintenance_scheduled',
  version: 1,
  description: 'Maintenance of the store was scheduled. Not streamed; the `maintenance-scheduled` routing rule notifies every active member of the tenant.',
  schema: z.object({
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    message: z.string().min(1).max(500).optional(),
  }),
  delivery: 'must-deliver',
  audience: () => [],
});
