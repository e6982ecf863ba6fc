import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { httpStatusOf, parseStreamPosition, PushlineError, ValidationError } from '@pushline/domain';
import { EventTypeFilter, type DeviceSession, type OpenStreamRequest, type StreamHub } from '@pushline/stream-engine';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { WS_EARLY_OVERFLOW_CLOSE_CODE } from './ws-close-codes.js';
import { WsDeviceSink } from './ws-device-sink.js';
import { WsMessageEncoder } from './ws-message-encoder.js';

export interface WsDeliveryOptions {
  /** The path that accepts upgrades, e.g. `/api/v1/ws`; other upgrade requests get 404. */
  readonly path: string;
  /** Largest client message in bytes; a bigger one closes the connection with 1009. */
  readonly maxPayloadBytes: number;
  /**
   * Verifies the upgrade request (session cookie or `Authorization: Bearer`) and parses its query into
   * what the hub needs. Throws a domain error to refuse it: AuthenticationError → 401,
   * ValidationError → 400. Provided by the composition root, so this adapter knows no HTTP framework.
   */
  readonly authenticate: (req: IncomingMessage) => Promise<OpenStreamRequest>;
  /** Unexpected failures (not refusals), for the log. */
  readonly onError: (error: unknown) => void;
}

/** One open connection, as tests and metrics may inspect it. */
export interface WsConnectionInfo {
  readonly userId: string;
  readonly deviceId: string | undefined;
  /** The last cursor sent to the device. */
  readonly cursor: number;
  /** The highest cursor the client acknowledged with `{"type":"ack"}`, if any. */
  readonly acknowledged: number | null;
}

interface Connection {
  readonly request: OpenStreamRequest;
  socket?: WebSocket;
  session?: DeviceSession;
  acknowledged: number | null;
  /** Client messages that arrived before the hub finished opening the session (bounded, see EARLY_LIMITS). */
  early: RawData[];
  earlyBytes: number;
}

/**
 * How much a client may send while its session is still opening (the replay can stall on a slow
 * client): past either bound the connection is closed with WS_EARLY_OVERFLOW_CLOSE_CODE.
 */
export const EARLY_LIMITS = { messages: 32, bytes: 64 * 1024 } as const;

/**
 * Serves WebSocket upgrades for the stream hub on the API's own http.Server. Authentication and
 * limits are checked before the upgrade, so a refusal is an ordinary HTTP error response; after it,
 * the adapter owns only the message format and the connection's lifetime.
 */
export class WsDeliveryAdapter {
  readonly encoder = new WsMessageEncoder();
  private readonly server: WebSocketServer;
  private readonly open = new Set<Connection>();
  private closing = false;
  private allClosed: (() => void) | undefined;

  constructor(
    private readonly hub: StreamHub,
    private readonly options: WsDeliveryOptions,
  ) {
    this.server = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: options.maxPayloadBytes });
  }

  get connections(): number {
    return this.open.size;
  }

  connectionsOf(userId: string): WsConnectionInfo[] {
    return [...this.open]
      .filter((c) => c.request.identity.userId === userId)
      .map((c) => ({
        userId,
        deviceId: c.request.identity.deviceId,
        cursor: c.session?.cursor ?? 0,
        acknowledged: c.acknowledged,
      }));
  }

  /** Takes over the server's `upgrade` requests. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(req, socket, head).catch((error: unknown) => {
        this.options.onError(error);
        refuse(socket, 500, 'internal', 'internal server error');
      });
    });
  }

  /**
   * Refuses new upgrades and asks open connections to close (1012); the hub's shutdown has usually
   * told them already. Connections still open after `timeoutMs` are cut. Resolves when none is left.
   */
  close(timeoutMs: number): Promise<void> {
    this.closing = true;
    for (const c of this.open) if (c.socket?.readyState === WebSocket.OPEN) c.socket.close(1012, 'shutdown');
    if (this.open.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const deadline = setTimeout(() => {
        for (const c of this.open) c.socket?.terminate();
      }, timeoutMs);
      deadline.unref();
      this.allClosed = () => {
        clearTimeout(deadline);
        resolve();
      };
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    let gone = false;
    socket.once('close', () => (gone = true));
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname !== this.options.path) return refuse(socket, 404, 'not_found', `no WebSocket endpoint at ${pathname}`);
    if (this.closing) return refuse(socket, 503, 'unavailable', 'the server is shutting down; connect again');
    if (req.headers.upgrade?.toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key']) {
      return refuse(socket, 400, 'bad_request', 'expected a WebSocket upgrade request');
    }

    let request: OpenStreamRequest;
    try {
      request = await this.options.authenticate(req);
    } catch (error) {
      return this.refuseWith(socket, error);
    }
    if (gone) return;
    if (this.closing) return refuse(socket, 503, 'unavailable', 'the server is shutting down; connect again');

    const connection: Connection = { request, acknowledged: null, early: [], earlyBytes: 0 };
    const sink = new WsDeviceSink(() => (gone ? undefined : this.complete(connection, req, socket, head)), this.encoder);
    let session: DeviceSession;
    try {
      session = await this.hub.open(request, sink);
    } catch (error) {
      if (connection.socket) {
        this.options.onError(error);
        connection.socket.close(1011, 'internal');
      } else this.refuseWith(socket, error);
      return;
    }
    connection.session = session;
    if (!sink.open()) {
      session.close();
      return;
    }
    for (const data of connection.early.splice(0)) this.receive(connection, data);
  }

  /** Finishes the handshake (synchronously: ws calls back before returning) and wires the socket. */
  private complete(connection: Connection, req: IncomingMessage, socket: Duplex, head: Buffer): WebSocket | undefined {
    this.server.handleUpgrade(req, socket, head, (ws) => (connection.socket = ws));
    const ws = connection.socket;
    if (!ws) return undefined;
    this.open.add(connection);
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.reply(ws, 'error', { code: 'bad_message', message: 'messages are JSON text' });
      else if (connection.session) this.receive(connection, data);
      else this.keepEarly(connection, ws, data);
    });
    // Oversized messages (1009) and protocol errors: ws closes the connection itself.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.open.delete(connection);
      connection.session?.close();
      if (this.open.size === 0) this.allClosed?.();
    });
    return ws;
  }

  private keepEarly(connection: Connection, ws: WebSocket, data: RawData): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    connection.earlyBytes += rawLength(data);
    connection.early.push(data);
    if (connection.early.length > EARLY_LIMITS.messages || connection.earlyBytes > EARLY_LIMITS.bytes) {
      connection.early = [];
      ws.close(WS_EARLY_OVERFLOW_CLOSE_CODE, 'too many messages before the stream opened');
    }
  }

  /** Client messages: `ack` records a cursor; `subscribe` changes the type filter live. */
  private receive(connection: Connection, data: RawData): void {
    const { socket, session } = connection;
    if (!socket || !session) return;
    let message: { type?: unknown; id?: unknown; types?: unknown };
    try {
      message = JSON.parse(data.toString()) as typeof message;
    } catch {
      return this.reply(socket, 'error', { code: 'bad_message', message: 'messages are JSON text' });
    }
    try {
      if (message?.type === 'ack') {
        // An id as sent (`<personal>` or `<personal>.<tenant>`); the own stream's part is what is recorded.
        const cursor = parseStreamPosition(message.id, 'id')?.personal ?? null;
        if (cursor === null) throw new ValidationError('id', 'id is required: the cursor of an entry received on this stream');
        if (cursor > session.cursor) throw new ValidationError('id', 'id was not sent on this stream yet');
        connection.acknowledged = Math.max(connection.acknowledged ?? 0, cursor);
      } else if (message?.type === 'subscribe') {
        if (message.types !== undefined && typeof message.types !== 'string') throw new ValidationError('types', 'types is a comma-separated string');
        this.hub.setFilter(session, EventTypeFilter.parse(message.types));
        this.reply(socket, 'subscribed', { types: message.types ?? '' });
      } else {
        throw new ValidationError('type', 'type must be "ack" or "subscribe"');
      }
    } catch (error) {
      if (error instanceof ValidationError) {
        this.reply(socket, 'error', { code: error.code, message: error.message, field: error.field });
        return;
      }
      // Thrown inside a ws event handler it would take the process down: report it instead.
      this.options.onError(error);
      this.reply(socket, 'error', { code: 'internal', message: 'internal server error' });
    }
  }

  private reply(socket: WebSocket, type: 'error' | 'subscribed', data: Record<string, unknown>): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type, data }));
  }

  private refuseWith(socket: Duplex, error: unknown): void {
    if (error instanceof PushlineError) {
      return refuse(socket, httpStatusOf(error), error.code, error.message, error instanceof ValidationError ? error.field : undefined);
    }
    this.options.onError(error);
    refuse(socket, 500, 'internal', 'internal server error');
  }
}

/** Answers an upgrade request with a plain HTTP error, in the API's error shape, and closes the socket. */
function refuse(socket: Duplex, status: number, code: string, message: string, field?: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message, ...(field && { field }) } });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}
