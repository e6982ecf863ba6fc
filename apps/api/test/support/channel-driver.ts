import { expect } from '@jest/globals';
import { ChannelWorker } from '../../src/jobs/channel-worker.js';
import { HandlerWorker } from '../../src/jobs/handler-worker.js';
import { request, type LoggedIn } from './http-client.js';
import type { TestApi } from './test-api.js';

/** The grace period the channel tests start their API with (`CHANNEL_GRACE_MS`). */
export const CHANNEL_TEST_GRACE_MS = 30_000;

/** A send record as `GET /api/v1/notifications/:id/deliveries` shows it. */
export interface ChannelDeliveryJson {
  channel: string;
  status: string;
  reason: string | null;
  attempts: { at: string; error: string | null }[];
  nextAttemptAt: string | null;
}

/**
 * Drives the outbound channels of a test API at times the test picks: the outbox handlers (whose
 * dispatch writes the send records) and one channel worker pass, so grace periods, digest windows and
 * backoff are crossed without waiting. `server` is read on each call (the API starts in `beforeAll`).
 */
export function channelDriver(server: () => TestApi) {
  const api = <T = Record<string, unknown>>(who: LoggedIn, method: string, path: string, body?: unknown) =>
    request<T>(server().baseUrl, method, `/api/v1${path}`, { bearer: who.token, ...(body !== undefined && { body }) });
  return {
    api,
    deliveries: async (who: LoggedIn, id: string) => (await api<{ items: ChannelDeliveryJson[] }>(who, 'GET', `/notifications/${id}/deliveries`)).body.items,
    sendAt: async (at: Date) => {
      await server().api.services.get(HandlerWorker).drain();
      await server().api.services.get(ChannelWorker).runOnce(at);
    },
    /** Creates a notification for `who` and runs the dispatch; `afterGrace` is when its sends are due. */
    notify: async (who: LoggedIn, body: Record<string, unknown>) => {
      const res = await api<{ id: string; createdAt: string }>(who, 'POST', '/notifications', body);
      expect(res.status).toBe(201);
      await server().api.services.get(HandlerWorker).drain();
      return { id: res.body.id, afterGrace: new Date(Date.parse(res.body.createdAt) + CHANNEL_TEST_GRACE_MS) };
    },
  };
}
