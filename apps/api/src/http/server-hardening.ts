import { STATUS_CODES, type Server, type ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../config.js';

type Timeouts = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs'>;

/**
 * Options for `createServer`. Node checks its header and request timeouts on an interval (30 s by
 * default); a tighter one makes the configured timeouts hold to about a quarter of a second.
 */
export function serverOptions(config: Timeouts): ServerOptions {
  return { connectionsCheckingInterval: Math.max(250, Math.min(config.headersTimeoutMs, config.requestTimeoutMs) / 4) };
}

/**
 * Socket-level bounds of the API's server:
 * - `headersTimeout`: the request's headers must arrive within it;
 * - `requestTimeout`: the whole request, body included, must arrive within it. Node stops the clock
 *   once the request is received, so a stream (whose request has no body) is never cut by it;
 * - errors the HTTP parser raises before express sees a request (oversized headers, malformed
 *   requests, those timeouts) are answered in the API's JSON error shape.
 */
export function hardenServer(server: Server, config: Timeouts, onRefused: (reason: string) => void = () => undefined): void {
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.headersTimeoutMs, config.requestTimeoutMs);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, onRefused));
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'the request did not arrive in time'],
  ERR_HTTP_HEADERS_TIMEOUT: [408, 'request_timeout', 'the request headers did not arrive in time'],
};

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, onRefused: (reason: string) => void): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'bad_request', 'the request is not valid HTTP'];
  onRefused(code);
  endWithJsonError(socket, status, code, message);
}

/**
 * Answers on a raw socket (no express, no http.ServerResponse: before or outside a request) with the
 * API's JSON error and the headers every answer carries, then closes it.
 */
export function endWithJsonError(socket: Duplex, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message } });
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.on('error', () => socket.destroy());
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n${extra}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}
