import { randomUUID } from 'node:crypto';
import { countOutboxBacklog, EventRetention, OutboxRelay } from '@pushline/persistence-prisma';
import type { DeliveryClient, DeliveryConnectOptions, DeliveryFixture } from '@pushline/testing';
import { logIn, request } from './http-client.js';
import { Ports } from '../../src/composition/ports.js';
import { startTestApi } from './test-api.js';

const PASSWORDS: Record<string, string> = { 'alice@example.com': 'alice-demo-password', 'bob@example.com': 'bob-demo-password' };

/**
 * The delivery contract's fixture on a real API serving one transport: notifications go in through
 * the REST API, retention runs on the API's own database.
 */
export async function startDeliveryFixture(
  transport: 'sse' | 'ws',
  connect: (baseUrl: string, options: DeliveryConnectOptions) => DeliveryClient,
): Promise<DeliveryFixture> {
  const t = await startTestApi({ env: { TRANSPORTS: transport, STREAM_MAX_BUFFERED_BYTES: String(256 * 1024) } });
  const userIds = new Map<string, string>();
  return {
    logIn: async (email) => {
      const session = await logIn(t.baseUrl, email, PASSWORDS[email]!);
      userIds.set(session.token, session.userId);
      return { bearer: session.token, cookie: session.cookie };
    },
    pushLargeEntry: async (as) => {
      const userId = userIds.get(as.bearer ?? '')!;
      const log = t.api.services.get(Ports.EventLog);
      const head = await log.headCursor(userId);
      // A must-deliver entry: a latest-wins one (notification.counts follows every create) would be
      // replaced in a stalled device's queue instead of filling it.
      const template = (await log.readAfter(userId, Math.max(head - 10, 0), 10)).findLast((e) => e.event.type === 'notification.created');
      if (!template) throw new Error('pushLargeEntry needs one stored notification.created of the user');
      const event = { ...template.event, id: `large-${randomUUID()}`, data: { ...(template.event.data as object), padding: 'x'.repeat(64 * 1024) } };
      // Committed like any entry (the relay publishes it): what a device is offered is always in the log.
      await t.api.services.get(Ports.UnitOfWork).run((tx) => tx.events.publishTo([userId], [event]));
    },
    notify: async (as, options = {}) => {
      const res = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', {
        ...(as.bearer ? { bearer: as.bearer } : { cookie: as.cookie! }),
        ...(options.deviceId && { headers: { 'X-Device-Id': options.deviceId } }),
        body: { title: options.title ?? 'contract', ...(options.padding && { data: { padding: 'x'.repeat(options.padding) } }) },
      });
      if (res.status !== 201) throw new Error(`notify failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    },
    markRead: async (as, id) => {
      const res = await request(t.baseUrl, 'PATCH', `/api/v1/notifications/${id}`, { ...(as.bearer ? { bearer: as.bearer } : { cookie: as.cookie! }), body: { status: 'read' } });
      if (res.status !== 200) throw new Error(`markRead failed: ${res.status}`);
    },
    connect: (options) => connect(t.baseUrl, options),
    purgeHistory: async () => {
      // Retention keeps unpublished entries; a device may see an entry before the relay marks it published.
      // The fast path marks entries published just after the broker took them; a drain skips rows it
      // still holds. Drain until nothing committed is left unpublished.
      const relay = t.api.services.get(OutboxRelay);
      do await relay.drain();
      while ((await countOutboxBacklog(t.api.database.prisma)) > 0);
      await new EventRetention(t.api.database.prisma).purgeOlderThan(new Date(Date.now() + 60_000));
    },
    shutdown: () => t.api.close(),
    stop: () => t.stop(),
  };
}
