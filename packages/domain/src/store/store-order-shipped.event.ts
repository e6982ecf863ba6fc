import { z } from 'zod';
import { defineEventType } from '../events/event-type.js';

/**
 * A domain event of the demo store (an app's event once apps publish through the API): not pushed to devices
 * itself; the routing rule `order-shipped` turns it into a notification for the customer.
 */
export const storeOrderShipped = defineEventType({
  name: 'store.order_shipped',
  version: 1,
  description: "An order was handed to the carrier. Not streamed; the `order-shipped` routing rule notifies the customer.",
  schema: z.object({
    orderId: z.string().min(1).max(64),
    userId: z.string().min(1),
    carrier: z.string().min(1).max(64).optional(),
    trackingUrl: z.url().optional(),
  }),
  delivery: 'must-deliver',
  audience: () => [],
});
