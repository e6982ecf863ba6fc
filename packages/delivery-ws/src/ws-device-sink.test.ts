import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import { WebSocket, WebSocketServer } from 'ws';
import { WsDeviceSink } from './ws-device-sink.js';
import { WsMessageEncoder } from './ws-message-encoder.js';

/** A server-side socket (wrapped by the sink under test) and a real client, on a random port. */
async function pair(clientOptions: { autoPong?: boolean } = {}): Promise<{ sink: WsDeviceSink; client: WebSocket; server: WebSocket; http: Server }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`, clientOptions);
  const [server] = (await once(wss, 'connection')) as [WebSocket];
  await once(client, 'open');
  return { sink: new WsDeviceSink(() => server, new WsMessageEncoder()), client, server, http };
}

const entry = (cursor: number): StreamEntry =>
  ({ userId: 'u1', cursor, event: { id: `e${cursor}`, type: 'notification.created', data: { n: cursor } } }) as unknown as StreamEntry;

describe('WsDeviceSink', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });
  const track = <T extends { client: WebSocket; http: Server }>(p: T): T => {
    cleanup.push(() => {
      p.client.terminate();
      p.http.close();
      p.http.closeAllConnections();
    });
    return p;
  };

  it('ends a connection that did not answer the previous heartbeat ping', async () => {
    const { sink, client } = track(await pair({ autoPong: false }));
    const pinged = once(client, 'ping');
    sink.heartbeat();
    await pinged;
    sink.heartbeat();
    const [code] = (await once(client, 'close')) as [number];
    expect(code).toBe(1006);
  });

  it('keeps a connection that answered with a pong', async () => {
    const { sink, client, server } = track(await pair());
    const ponged = once(server, 'pong');
    sink.heartbeat();
    await ponged;
    sink.heartbeat();
    sink.send(entry(7));
    const [data] = (await once(client, 'message')) as [Buffer];
    expect(JSON.parse(data.toString())).toMatchObject({ id: '7', type: 'notification.created', data: { id: 'e7' } });
  });

  it('says why before closing, with the close code of the reason', async () => {
    const { sink, client } = track(await pair());
    const messages: unknown[] = [];
    client.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString())));
    sink.close('session_revoked');
    const [code, reason] = (await once(client, 'close')) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([4003, 'session_revoked']);
    expect(messages).toEqual([{ type: 'stream.closed', data: { reason: 'session_revoked', reconnect: false } }]);
  });
});

describe('WsMessageEncoder', () => {
  it('serializes an entry once however many devices receive it', () => {
    const encoder = new WsMessageEncoder();
    const shared = entry(3);
    const first = encoder.entry(shared);
    expect(encoder.entry(shared)).toBe(first);
    encoder.entry(entry(4));
    expect(encoder.encoded).toBe(2);
  });
});
