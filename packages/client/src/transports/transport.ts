import type { ControlType } from '../client-types.js';
import type { AnyEnvelope } from '../event-dispatch.js';
import type { EventSourceConstructor, FetchLike, WebSocketConstructor } from '../platform.js';

/** One frame off the wire: an event (with its stream id, or null when ephemeral) or a control message. */
export type Frame =
  | { readonly kind: 'event'; readonly envelope: AnyEnvelope; readonly cursor: string | null }
  | { readonly kind: 'control'; readonly type: ControlType; readonly data: unknown };

/** Why a transport ended by itself. `status` is an HTTP status where the platform tells it. */
export interface TransportFailure {
  readonly reason: string;
  readonly status?: number;
}

export interface TransportCallbacks {
  opened(): void;
  frame(frame: Frame): void;
  failed(failure: TransportFailure): void;
}

/** One connection attempt. Once `failed` was called or `close()` ran, it calls nothing more. */
export interface Transport {
  close(): void;
}

export interface ConnectParams {
  readonly apiUrl: string;
  /** The id to resume after (`41` or `41.7`), null for live from now. */
  readonly cursor: string | null;
  readonly token: string | undefined;
  readonly deviceId: string | undefined;
  readonly types: readonly string[] | undefined;
  /** Type names an SSE transport must listen for (catalog, control, and any with a handler). */
  readonly listenTypes: readonly string[];
  readonly fetch: FetchLike;
  readonly EventSource: EventSourceConstructor | undefined;
  readonly WebSocket: WebSocketConstructor | undefined;
  readonly pollIntervalMs: number;
}

export type TransportFactory = (params: ConnectParams, callbacks: TransportCallbacks) => Transport;

export function streamQuery(params: ConnectParams, cursorName: string): URLSearchParams {
  const query = new URLSearchParams();
  if (params.cursor !== null) query.set(cursorName, params.cursor);
  if (params.deviceId) query.set('deviceId', params.deviceId);
  if (params.types?.length) query.set('types', params.types.join(','));
  return query;
}

const CONTROL = new Set<string>(['stream.reset', 'stream.position', 'stream.reauth', 'stream.closed']);

export function isControlType(type: string): type is ControlType {
  return CONTROL.has(type);
}

/** A stream id as the server sends it (`id:` or the WebSocket `id`: `41` or `41.7`); anything else is none. */
export function cursorOf(raw: unknown): string | null {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return String(raw);
  if (typeof raw === 'string' && /^\d{1,15}(\.\d{1,15})?$/.test(raw)) return raw;
  return null;
}

/** Headers of every request: the Bearer token when there is one. */
export function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
