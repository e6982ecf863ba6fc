import type { EventSourceLike, MessageEventLike } from '../platform.js';
import { authHeaders, cursorOf, isControlType, streamQuery, type Transport, type TransportFactory } from './transport.js';

/**
 * `GET /api/v1/stream` through `EventSource`. The SDK does its own reconnecting (full jitter, fresh
 * token, cursor in the query), so the EventSource is closed at its first error instead of retrying by
 * itself. A token goes in the `Authorization` header through the `eventsource` package's `fetch`
 * option; the browser's EventSource uses the cookie.
 */
export const sseTransport: TransportFactory = (params, callbacks) => {
  const EventSourceImpl = params.EventSource;
  if (!EventSourceImpl) throw new Error('no EventSource: pass the `EventSource` option (e.g. from the eventsource package)');
  const url = `${params.apiUrl}/stream?${streamQuery(params, 'lastEventId')}`;
  const headers = authHeaders(params.token);
  const source: EventSourceLike = new EventSourceImpl(url, {
    withCredentials: true,
    fetch: (input, init) => params.fetch(String(input), { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
  });
  let done = false;
  const end = (): boolean => {
    if (done) return false;
    done = true;
    source.close();
    return true;
  };

  source.onopen = () => {
    if (!done) callbacks.opened();
  };
  source.onerror = (event) => {
    // CLOSED (2) with no code: the browser refused the response (an HTTP error); the client asks why.
    const status = event?.code ?? (source.readyState === 2 ? 0 : undefined);
    if (end()) callbacks.failed({ reason: status ? `http_${status}` : 'network_error', ...(status !== undefined && { status }) });
  };
  const listen = (type: string): void =>
    source.addEventListener(type, (message: MessageEventLike) => {
      if (done) return;
      let payload: unknown;
      try {
        payload = JSON.parse(message.data);
      } catch {
        return; // not ours: a proxy's injected frame
      }
      if (isControlType(type)) callbacks.frame({ kind: 'control', type, data: payload });
      else callbacks.frame({ kind: 'event', envelope: payload as never, cursor: cursorOf(message.lastEventId) });
    });
  const listening = new Set(params.listenTypes);
  for (const type of listening) listen(type);

  const transport: Transport & { listen(type: string): void } = {
    close: () => void end(),
    listen: (type) => {
      if (listening.has(type)) return;
      listening.add(type);
      listen(type);
    },
  };
  return transport;
};
