import { createServer, type ServerResponse } from 'node:http';
import { BACKLOG, PORT, readBody, userOf, usersOf } from './peer-options.js';

/**
 * The baseline: node:http with no framework; a publish builds one frame buffer and writes that same
 * buffer to each of the user's sockets. The practical limit of SSE in Node on this machine.
 */
const rooms = new Map<string, Set<ServerResponse>>();
const cursors = new Map<string, number>();

const server = createServer((req, res) => {
  const user = userOf(req.url);
  if (req.method === 'GET' && req.url?.startsWith('/stream')) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': open\n\n');
    let room = rooms.get(user);
    if (!room) rooms.set(user, (room = new Set()));
    room.add(res);
    res.on('close', () => room.delete(res));
    return;
  }
  if (req.method === 'POST' && req.url?.startsWith('/publish')) {
    void readBody(req).then((body) => {
      for (const to of usersOf(req.url)) {
        const id = (cursors.get(to) ?? 0) + 1;
        cursors.set(to, id);
        const frame = Buffer.from(`id: ${id}\nevent: message\ndata: ${body}\n\n`);
        for (const r of rooms.get(to) ?? []) r.write(frame);
      }
      res.writeHead(201).end();
    });
    return;
  }
  res.writeHead(404).end();
});
server.requestTimeout = 0;
server.listen(PORT, '127.0.0.1', BACKLOG);
