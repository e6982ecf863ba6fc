import { createServer as createHttpServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface LoopbackProxy {
  /** `http://127.0.0.1:<port>`: use it as the client's base URL. */
  readonly url: string;
  /** Destroys every connection through the proxy at once, as a dropped network would. */
  cutAll(): number;
  close(): Promise<void>;
}

/** A TCP proxy on loopback in front of `targetUrl`, whose connections a test can kill. */
export async function startCuttableProxy(targetUrl: string): Promise<LoopbackProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return listening(server, () => {
    const count = sockets.size;
    for (const s of sockets) s.destroy();
    return count;
  });
}

/**
 * An HTTP proxy that buffers stream responses (`/api/v1/stream`) the way a misconfigured reverse proxy
 * does: `mode: 'everything'` holds the whole response (the client never even sees the headers),
 * `mode: 'body'` forwards the headers at once but holds the body. Every other request passes through.
 */
export async function startBufferingProxy(targetUrl: string, mode: 'everything' | 'body'): Promise<LoopbackProxy & { streamRequests(): number }> {
  const target = new URL(targetUrl);
  const held = new Set<IncomingMessage>();
  const state = { streamRequests: 0 };
  const server = createHttpServer((req, res) => {
    const buffering = (req.url ?? '').startsWith('/api/v1/stream');
    if (buffering) state.streamRequests += 1;
    const upstream = httpRequest(
      { host: target.hostname, port: Number(target.port), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (!buffering) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        held.add(answer);
        if (mode === 'body') {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.flushHeaders();
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          held.delete(answer);
          if (mode === 'everything') res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  const proxy = await listening(server, () => 0);
  return { ...proxy, streamRequests: () => state.streamRequests };
}

async function listening(server: Server | ReturnType<typeof createHttpServer>, cutAll: () => number): Promise<LoopbackProxy> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cutAll,
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
