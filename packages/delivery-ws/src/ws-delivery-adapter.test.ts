import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EventTypeFilter, type DeviceSession, type OpenStreamRequest, type StreamHub } from '@pushline/stream-engine';
import type { DeviceSink } from '@pushline/domain';
import { WebSocket } from 'ws';
import { WS_EARLY_OVERFLOW_CLOSE_CODE } from './ws-close-codes.js';
import { EARLY_LIMITS, WsDeliveryAdapter } from './ws-delivery-adapter.js';

const request: OpenStreamRequest = { identity: { userId: 'u1', sessionId: 's1', expiresAt: new Date(Date.now() + 3_600_000) }, resumeFrom: 0, filter: EventTypeFilter.all, excludeOwn: false };

/**
 * A hub whose replay stalls: it completes the handshake (as the first replayed entry would) and
 * resolves the session only when the test says so. Messages sent meanwhile wait in the adapter.
 */
class StalledHub {
  release: (() => void) | undefined;
  readonly filters: EventTypeFilter[] = [];
  open(_request: OpenStreamRequest, sink: DeviceSink & { open(): unknown }): Promise<DeviceSession> {
    sink.open();
    const session = { cursor: 0, setFilter: (f: EventTypeFilter) => void this.filters.push(f), close: () => undefined } as unknown as DeviceSession;
    return new Promise((resolve) => (this.release = () => resolve(session)));
  }
  /** As the hub does: the device's own session and its tenant lane take the filter. */
  setFilter(session: DeviceSession, filter: EventTypeFilter): void {
    session.setFilter(filter);
  }
}

// Issue #9, finding 5: 301 MiB of client messages piled up while a replay was stalled.
describe('WsDeliveryAdapter: messages before the session is open', () => {
  let server: Server;
  let hub: StalledHub;
  let url: string;
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    hub = new StalledHub();
    const adapter = new WsDeliveryAdapter(hub as unknown as StreamHub, { path: '/ws', maxPayloadBytes: 16 * 1024, authenticate: async () => request, onError: () => undefined });
    server = createServer();
    adapter.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.terminate();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const open = async (): Promise<{ socket: WebSocket; closed: Promise<number> }> => {
    const socket = new WebSocket(url);
    sockets.push(socket);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('open', resolve));
    return { socket, closed };
  };

  it(`closes with ${WS_EARLY_OVERFLOW_CLOSE_CODE} past ${EARLY_LIMITS.messages} messages`, async () => {
    const { socket, closed } = await open();
    for (let i = 0; i <= EARLY_LIMITS.messages; i++) socket.send('{"type":"subscribe","types":"a.*"}');
    await expect(closed).resolves.toBe(WS_EARLY_OVERFLOW_CLOSE_CODE);
  });

  it(`closes with ${WS_EARLY_OVERFLOW_CLOSE_CODE} past ${EARLY_LIMITS.bytes} bytes, whatever the count`, async () => {
    const { socket, closed } = await open();
    const big = JSON.stringify({ type: 'subscribe', types: 'a'.repeat(15 * 1024) });
    for (let i = 0; i * big.length <= EARLY_LIMITS.bytes; i++) socket.send(big);
    await expect(closed).resolves.toBe(WS_EARLY_OVERFLOW_CLOSE_CODE);
  });

  it('keeps messages within the bounds and handles them once the session is open', async () => {
    const { socket } = await open();
    const replies: string[] = [];
    socket.on('message', (data) => replies.push(data.toString()));
    const answered = new Promise((resolve) => socket.on('message', resolve));
    socket.send('{"type":"subscribe","types":"notification.*"}');
    await new Promise((resolve) => socket.send('{"type":"ack","id":"0"}', resolve));
    // Sent and flushed, but not handled yet: the session is still opening.
    expect(hub.filters).toHaveLength(0);
    hub.release?.();
    await answered;
    expect(hub.filters).toHaveLength(1);
    expect(JSON.parse(replies[0] ?? '{}')).toEqual({ type: 'subscribed', data: { types: 'notification.*' } });
  });
});
