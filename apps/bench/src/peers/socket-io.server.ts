import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { BACKLOG, PORT, readBody, userOf, usersOf } from './peer-options.js';

/** socket.io: one room per user (WebSocket transport only), `io.to(room).emit` per publish. */
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url?.startsWith('/publish')) {
    void readBody(req).then((body) => {
      const data: unknown = JSON.parse(body);
      for (const to of usersOf(req.url)) io.to(to).emit('message', data);
      res.writeHead(201).end();
    });
    return;
  }
  if (!req.url?.startsWith('/socket.io')) res.writeHead(404).end();
});
const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
io.on('connection', (socket) => void socket.join(userOf(socket.request.url)));
server.requestTimeout = 0;
server.listen(PORT, '127.0.0.1', BACKLOG);
