import { createServer } from 'node:http';
import { createChannel, createSession, type Channel } from 'better-sse';
import { BACKLOG, PORT, readBody, userOf, usersOf } from './peer-options.js';

/** better-sse: one channel per user, `channel.broadcast` per publish. */
const channels = new Map<string, Channel>();
const cursors = new Map<string, number>();
const channelOf = (user: string): Channel => {
  let c = channels.get(user);
  if (!c) channels.set(user, (c = createChannel()));
  return c;
};

const server = createServer((req, res) => {
  const user = userOf(req.url);
  if (req.method === 'GET' && req.url?.startsWith('/stream')) {
    void createSession(req, res, { keepAlive: null }).then((session) => channelOf(user).register(session));
    return;
  }
  if (req.method === 'POST' && req.url?.startsWith('/publish')) {
    void readBody(req).then((body) => {
      const data: unknown = JSON.parse(body);
      for (const to of usersOf(req.url)) {
        const id = (cursors.get(to) ?? 0) + 1;
        cursors.set(to, id);
        channelOf(to).broadcast(data, 'message', { eventId: String(id) });
      }
      res.writeHead(201).end();
    });
    return;
  }
  res.writeHead(404).end();
});
server.requestTimeout = 0;
server.listen(PORT, '127.0.0.1', BACKLOG);
