import type { Timer } from '../platform.js';
import { authHeaders, type TransportFactory } from './transport.js';

const PAGE = 100;

interface EventsPage {
  /** `id`: the stream id of the entry (`41` or `41.7`); servers of before broadcasts send `cursor` only. */
  readonly events: readonly { readonly cursor: number; readonly id?: string; readonly type: string; readonly event: never }[];
  readonly nextAfter: number | string;
  readonly headCursor: number;
  readonly tenantHeadCursor?: number;
  readonly reset?: { readonly reason: string; readonly cursor: number };
  readonly tenantReset?: { readonly reason: string; readonly cursor: number; readonly stream: 'tenant' };
}

/**
 * `GET /api/v1/events?after=`: the same stored events and cursors as the stream, in pages, for networks
 * where a stream cannot stay open. A full page is followed at once; otherwise the next poll waits
 * `pollIntervalMs`. Ephemeral types are never stored, so they are not seen here.
 */
export const pollTransport: TransportFactory = (params, callbacks) => {
  let done = false;
  let timer: Timer | undefined;
  let opened = false;
  let after = params.cursor;
  const controller = new AbortController();
  const wanted = params.types?.length ? params.types : undefined;

  const matches = (type: string): boolean =>
    !wanted || wanted.some((p) => (p.endsWith('.*') ? type.startsWith(p.slice(0, -1)) : p === type));

  const poll = async (): Promise<void> => {
    if (done) return;
    let page: EventsPage;
    try {
      // Without a cursor, start at the head, as a fresh stream does: one page of size 1 tells it.
      const query = after === null ? 'after=0&limit=1' : `after=${after}&limit=${PAGE}`;
      const res = await params.fetch(`${params.apiUrl}/events?${query}`, {
        headers: { ...authHeaders(params.token), ...(params.deviceId && { 'x-device-id': params.deviceId }) },
        credentials: 'include',
        signal: controller.signal,
      });
      if (!res.ok) {
        fail(`http_${res.status}`, res.status);
        return;
      }
      page = (await res.json()) as EventsPage;
    } catch {
      fail('network_error');
      return;
    }
    if (done) return;
    if (!opened) {
      opened = true;
      callbacks.opened();
    }
    if (after === null) {
      after = page.tenantHeadCursor ? `${page.headCursor}.${page.tenantHeadCursor}` : String(page.headCursor);
    } else {
      if (page.reset) callbacks.frame({ kind: 'control', type: 'stream.reset', data: page.reset });
      if (page.tenantReset) callbacks.frame({ kind: 'control', type: 'stream.reset', data: page.tenantReset });
      for (const entry of page.events) {
        if (done) return;
        if (matches(entry.type)) callbacks.frame({ kind: 'event', envelope: entry.event, cursor: entry.id ?? String(entry.cursor) });
      }
      after = String(page.nextAfter);
    }
    if (!done) timer = setTimeout(() => void poll(), page.events.length >= PAGE ? 0 : params.pollIntervalMs);
  };

  const fail = (reason: string, status?: number): void => {
    if (done) return;
    done = true;
    callbacks.failed({ reason, ...(status !== undefined && { status }) });
  };

  void poll();
  return {
    close: () => {
      done = true;
      clearTimeout(timer);
      controller.abort();
    },
  };
};
