import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import express from 'express';
import { StreamOpenShedder } from './stream-open-shedder.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function get(port: number): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/stream' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Writes raw bytes and resolves with everything the server sent until it closed the connection. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (c) => (data += c.toString()));
    socket.on('close', () => resolve(data));
  });
}

describe('under a storm of stream opens', () => {
  it('sheds opens beyond the pending limit with a 200 event stream that says when to retry', async () => {
    const shedder = new StreamOpenShedder(1, 2000);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    let entered: () => void = () => {};
    const firstIsPending = new Promise<void>((r) => (entered = r));
    const app = express();
    app.get('/stream', shedder.admit, async (_req, res) => {
      entered();
      await held;
      shedder.started(res);
      res.end('opened');
    });
    const port = await listen(createServer(app));

    const first = get(port);
    await firstIsPending;
    await expect(get(port)).resolves.toEqual({
      status: 200,
      type: 'text/event-stream',
      body: expect.stringMatching(/^retry: (\d{4})\n/),
    });
    release();
    await expect(first).resolves.toMatchObject({ status: 200, body: 'opened' });
    // Nothing pending any more: the next open is admitted.
    await expect(get(port)).resolves.toMatchObject({ body: 'opened' });
    expect(shedder.shed).toBe(1);
  });
});
