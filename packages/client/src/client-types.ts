import type { PushlineEvent, PushlineEventOf, PushlineEventType, StreamControlMessage } from './generated/event-types.js';
import type { ReconnectOptions } from './backoff.js';
import type { EventSourceConstructor, FetchLike, WebSocketConstructor } from './platform.js';

export type { PushlineEvent, PushlineEventOf, PushlineEventType, StreamControlMessage };

/** `connecting` (first attempt) · `open` · `reconnecting` (after a loss) · `closed` (for good). */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * Why the state changed, e.g. `network_error`, `http_429`, `shutdown`, `reauth`, `refresh_failed`,
 * `stream_blocked` (switched to polling), `leader_changed`, `session_revoked`, `token_expired`,
 * `unauthenticated`, `client_closed`.
 */
export type StateReason = string;

/** An envelope of a type the catalog (and so this SDK version) does not know. */
export interface UnknownPushlineEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly type: string;
  readonly time: string;
  readonly subject: string;
  readonly dataversion: number;
  readonly data: unknown;
  readonly [attribute: string]: unknown;
}

export type ControlType = StreamControlMessage['type'];
export type ControlData<T extends ControlType> = Extract<StreamControlMessage, { type: T }>['data'];

/** What `on(type, …)` hands a handler: the typed envelope, or a control message's data. */
export type HandlerArgument<T extends string> = T extends PushlineEventType
  ? PushlineEventOf<T>
  : T extends ControlType
    ? ControlData<T>
    : UnknownPushlineEvent;

/** A token, or a function returning the current one (called before every connection). */
export type TokenSource = string | (() => string | Promise<string>);

export interface PushlineClientOptions {
  /** The API's origin, e.g. `https://api.example.com` (no `/api/v1`). */
  readonly baseUrl: string;
  /** Bearer token. Without one, browsers authenticate with the session cookie. */
  readonly token?: TokenSource;
  /** Default `sse`; `poll` is also chosen automatically when a proxy blocks or buffers the stream. */
  readonly transport?: 'sse' | 'ws' | 'poll';
  /** Browsers: one connection per browser, elected with Web Locks, relayed over BroadcastChannel. */
  readonly shareAcrossTabs?: boolean;
  /** Full-jitter backoff bounds. Default 500 ms doubling to 30 s. */
  readonly reconnect?: ReconnectOptions;
  /** Resume after this id (a saved `position`, e.g. `41.7`, or a plain cursor); default: live from now. */
  readonly cursor?: number | string;
  /** Only these types (`notification.*,order.shipped`), filtered by the server. */
  readonly types?: readonly string[];
  /** Names this device (`X-Device-Id`, `?deviceId=`). */
  readonly deviceId?: string;
  /**
   * After `stream.reauth` (or a 401): return a fresh token (or nothing, for a renewed cookie). Default:
   * `POST /api/v1/auth/refresh` with the current token or cookie; with a function `token`, calling it again.
   */
  readonly refreshToken?: () => Promise<string | void>;
  /** `stream.reset`: the history you would need is gone; reload your state. */
  readonly onReset?: (reset: ControlData<'stream.reset'>) => void;
  /** Automatic polling fallback. Set `false` to keep the chosen transport whatever happens. */
  readonly fallback?: false | FallbackOptions;
  /** Polling period when `poll` is the transport. Default 3000 ms. */
  readonly pollIntervalMs?: number;
  /** Tab sharing's channel and lock name; default derived from `baseUrl`. */
  readonly shareKey?: string;
  readonly fetch?: FetchLike;
  readonly EventSource?: EventSourceConstructor;
  readonly WebSocket?: WebSocketConstructor;
}

export interface FallbackOptions {
  /** A stream that has not opened by then, while REST answers, is blocked. Default 10 s. */
  readonly openTimeoutMs?: number;
  /** How often an open but silent stream is compared with the server's head cursor. Default 20 s. */
  readonly stallCheckMs?: number;
}

export type Unsubscribe = () => void;

/** What `createPushlineClient` returns. */
export interface PushlineClient {
  on<T extends PushlineEventType | ControlType | (string & {})>(type: T, handler: (event: HandlerArgument<T>) => void): Unsubscribe;
  /** Every event (known or not), after dedupe. */
  onAny(handler: (event: PushlineEvent | UnknownPushlineEvent) => void): Unsubscribe;
  readonly state: ConnectionState;
  readonly reason: StateReason | undefined;
  onState(handler: (state: ConnectionState, reason?: StateReason) => void): Unsubscribe;
  /** The last cursor received of the user's own stream. */
  readonly cursor: number | null;
  /**
   * Where the client is in both of its streams (its own and its tenant's broadcasts), as the server's
   * ids: `41` or `41.7`. Save it and pass it back as `cursor` to resume.
   */
  readonly position: string | null;
  /** `sse`, `ws` or `poll`: what carries events now (changes on an automatic fallback). */
  readonly transport: 'sse' | 'ws' | 'poll';
  /** `leader` holds the browser's one connection, `follower` gets it relayed, `solo` has its own. */
  readonly role: 'leader' | 'follower' | 'solo';
  close(): void;
}
