import { authHeaders, cursorOf, isControlType, streamQuery, type TransportFactory } from './transport.js';

const CLOSE_REASONS: Record<number, string> = {
  4001: 'token_expired',
  4003: 'session_revoked',
  1012: 'shutdown',
  1013: 'unavailable',
  1009: 'message_too_big',
  1006: 'connection_lost',
};

/**
 * `GET /api/v1/ws`: the same stream as JSON text frames. Browsers authenticate with the cookie (a
 * WebSocket cannot carry headers there); Node's `ws` and undici take `{ headers }` for the token.
 */
export const wsTransport: TransportFactory = (params, callbacks) => {
  const WebSocketImpl = params.WebSocket;
  if (!WebSocketImpl) throw new Error('no WebSocket: pass the `WebSocket` option (e.g. from the ws package)');
  const url = `${params.apiUrl.replace(/^http/, 'ws')}/ws?${streamQuery(params, 'lastEventId')}`;
  const socket = params.token ? new WebSocketImpl(url, { headers: authHeaders(params.token) }) : new WebSocketImpl(url);
  let done = false;

  socket.onopen = () => {
    if (!done) callbacks.opened();
  };
  socket.onmessage = (message) => {
    if (done || typeof message.data !== 'string') return;
    let frame: { id?: unknown; type?: unknown; data?: unknown };
    try {
      frame = JSON.parse(message.data) as typeof frame;
    } catch {
      return;
    }
    if (typeof frame.type !== 'string') return;
    if (isControlType(frame.type)) callbacks.frame({ kind: 'control', type: frame.type, data: frame.data });
    else if (frame.type === 'subscribed' || frame.type === 'error') return;
    else callbacks.frame({ kind: 'event', envelope: frame.data as never, cursor: cursorOf(frame.id) });
  };
  socket.onclose = (event) => {
    if (done) return;
    done = true;
    callbacks.failed({ reason: CLOSE_REASONS[event.code] ?? `ws_${event.code}` });
  };
  socket.onerror = () => undefined; // onclose follows with the code

  return {
    close: () => {
      if (done) return;
      done = true;
      socket.close(1000, 'client closed');
    },
  };
};
