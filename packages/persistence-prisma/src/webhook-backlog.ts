import type { PrismaClient } from './generated/prisma/client.js';

export interface WebhookBacklog {
  readonly pending: number;
  /** Seconds the oldest due delivery has been waiting; 0 when none is due. */
  readonly oldestDueAgeSeconds: number;
  readonly disabledSubscriptions: number;
}

/** For the metrics scrape: cheap queries on the due-queue index and the subscriptions. */
export async function readWebhookBacklog(prisma: PrismaClient, now: Date = new Date()): Promise<WebhookBacklog> {
  const [due] = await prisma.$queryRaw<{ pending: bigint; oldest: Date | null }[]>`
    SELECT count(*) AS pending, min(next_attempt_at) FILTER (WHERE next_attempt_at <= ${now}) AS oldest
    FROM webhook_deliveries WHERE status = 'pending'`;
  const disabledSubscriptions = await prisma.webhookSubscription.count({ where: { enabled: false } });
  const oldest = due?.oldest ? new Date(due.oldest) : null;
  return {
    pending: Number(due?.pending ?? 0),
    oldestDueAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
    disabledSubscriptions,
  };
}
