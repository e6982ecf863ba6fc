import { randomUUID } from 'node:crypto';
import { EventFactory } from '@pushline/domain';
import { EventRetention, PrismaHandlerJobQueue, PrismaSessionStore } from '@pushline/persistence-prisma';
import { StreamHub } from '@pushline/stream-engine';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';
import type { Config } from '../config.js';
import { RetentionJob } from '../jobs/retention-job.js';

/** Event `source` attribute of everything this service emits. */
export const EVENT_SOURCE = '/pushline/api';

/** Clock, ids, the event factory, the stream hub and the retention job: what every feature stands on. */
export function coreModule(config: Config) {
  return containerModule((r) => {
    r.value(Ports.Config, config);
    r.value(Ports.Clock, { now: () => new Date() });
    r.value(Ports.IdGenerator, { next: () => randomUUID() });
    r.provide(EventFactory, (c) => new EventFactory(c.get(Ports.IdGenerator), c.get(Ports.Clock), EVENT_SOURCE));
    r.provide(StreamHub, (c) => {
      const logger = c.get(Ports.Logger);
      return new StreamHub(
        c.get(Ports.StreamSubscriber),
        c.get(Ports.EventLog),
        c.get(Ports.Clock),
        { ...config.stream, replayPageSize: 200 },
        (err) => logger.error({ err }, 'stream delivery failed'),
        c.get(Ports.StreamObserver),
        { tenantLog: c.get(Ports.TenantEventLog), interest: c.get(Ports.StreamInterest) },
      );
    });
    r.provide(
      RetentionJob,
      (c) =>
        new RetentionJob(
          c.get(EventRetention),
          c.get(Ports.Clock),
          { retentionDays: config.retention.days, intervalMs: config.retention.intervalMs },
          c.get(Ports.Logger),
          // The Prisma store itself: purging ended sessions is not part of the port.
          c.get(PrismaSessionStore),
          { queue: c.get(PrismaHandlerJobQueue), retentionDays: config.handlers.jobRetentionDays },
          { deliveries: c.get(Ports.ChannelDeliveryRepository), retentionDays: config.notifications.deliveryRetentionDays },
        ),
    );
  });
}
