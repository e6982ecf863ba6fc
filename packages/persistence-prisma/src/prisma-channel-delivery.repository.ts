import type {
  ChannelAttempt,
  ChannelDelivery,
  ChannelDeliveryQuery,
  ChannelDeliveryRepository,
  ChannelDeliveryStatus,
  ChannelSkipReason,
  NewChannelDelivery,
  OutboundChannel,
} from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';

interface Row {
  id: string;
  tenantId: string;
  userId: string;
  notificationId: string;
  channel: string;
  category: string;
  status: string;
  reason: string | null;
  digestKey: string | null;
  attempts: unknown;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** `channel_deliveries`: the send records; `FOR UPDATE SKIP LOCKED` leases share them across instances. */
export class PrismaChannelDeliveryRepository implements ChannelDeliveryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async add(deliveries: readonly NewChannelDelivery[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const { count } = await this.prisma.channelDelivery.createMany({
      data: deliveries.map((d) => ({ ...d, status: 'pending', attempts: [], updatedAt: d.createdAt })),
      // Unique (notification_id, channel): a retried dispatch adds nothing.
      skipDuplicates: true,
    });
    return count;
  }

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<readonly ChannelDelivery[]> {
    // The due rows, then every pending row of their digests: a digest is leased (and sent) whole.
    // A row another worker leased meanwhile fails the re-checked lease condition and is left to it.
    const rows = await this.prisma.$queryRaw<Row[]>`
      WITH due AS (
        SELECT id, digest_key FROM channel_deliveries
        WHERE status = 'pending' AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until <= ${now})
        ORDER BY next_attempt_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE channel_deliveries SET locked_until = ${leaseUntil}, updated_at = ${now}
      WHERE status = 'pending' AND (locked_until IS NULL OR locked_until <= ${now})
        AND (id IN (SELECT id FROM due) OR digest_key IN (SELECT digest_key FROM due WHERE digest_key IS NOT NULL))
      RETURNING id, tenant_id AS "tenantId", user_id AS "userId", notification_id AS "notificationId", channel, category, status, reason,
        digest_key AS "digestKey", attempts, next_attempt_at AS "nextAttemptAt", sent_at AS "sentAt", created_at AS "createdAt", updated_at AS "updatedAt"`;
    return rows.map(toDelivery).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  async markSent(ids: readonly string[], now: Date): Promise<void> {
    await this.settle(ids, 'sent', null, null, now, { at: now, error: null });
  }

  async markSkipped(ids: readonly string[], reason: ChannelSkipReason, now: Date): Promise<void> {
    await this.settle(ids, 'skipped', reason, null, now, null);
  }

  async recordFailure(ids: readonly string[], error: string, retryAt: Date | null, now: Date): Promise<void> {
    await this.settle(ids, retryAt ? 'pending' : 'failed', retryAt ? null : error, retryAt, now, { at: now, error });
  }

  async list(query: ChannelDeliveryQuery): Promise<readonly ChannelDelivery[]> {
    const rows = await this.prisma.channelDelivery.findMany({
      where: {
        ...(query.tenantId && { tenantId: query.tenantId }),
        ...(query.userId && { userId: query.userId }),
        ...(query.notificationId && { notificationId: query.notificationId }),
        ...(query.channel && { channel: query.channel }),
        ...(query.status && { status: query.status }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
    });
    return rows.map(toDelivery);
  }

  async purgeOrphaned(before: Date, limit: number): Promise<number> {
    // One bounded statement; the batch is picked by the partial index on settled records' updated_at.
    return this.prisma.$executeRaw`
      DELETE FROM channel_deliveries WHERE id IN (
        SELECT d.id FROM channel_deliveries d
        WHERE d.status <> 'pending' AND d.updated_at < ${before}
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.id = d.notification_id)
        ORDER BY d.updated_at, d.id LIMIT ${limit}
      )`;
  }

  /** One statement per call: the attempt is appended to the JSON array in place (no read-modify-write). */
  private async settle(
    ids: readonly string[],
    status: ChannelDeliveryStatus,
    reason: string | null,
    nextAttemptAt: Date | null,
    now: Date,
    attempt: ChannelAttempt | null,
  ): Promise<void> {
    if (ids.length === 0) return;
    const appended = attempt ? JSON.stringify([{ at: attempt.at.toISOString(), error: attempt.error }]) : '[]';
    await this.prisma.$executeRaw`
      UPDATE channel_deliveries
      SET status = ${status}, reason = ${reason}, next_attempt_at = ${nextAttemptAt}, locked_until = NULL, updated_at = ${now},
        sent_at = ${status === 'sent' ? now : null}, attempts = attempts || ${appended}::jsonb
      WHERE id = ANY(${[...ids]}::text[])`;
  }
}

function toDelivery(r: Row): ChannelDelivery {
  const attempts = (Array.isArray(r.attempts) ? r.attempts : []) as { at: string; error: string | null }[];
  return {
    id: r.id,
    tenantId: r.tenantId,
    userId: r.userId,
    notificationId: r.notificationId,
    channel: r.channel as OutboundChannel,
    category: r.category,
    status: r.status as ChannelDeliveryStatus,
    reason: r.reason,
    digestKey: r.digestKey,
    attempts: attempts.map((a) => ({ at: new Date(a.at), error: a.error })),
    nextAttemptAt: r.nextAttemptAt,
    sentAt: r.sentAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
