// The few platform APIs the SDK touches, typed structurally: the same code runs in browsers, Node and
// React Native without the DOM library, and an app can hand in its own implementation of each.

/** What an SSE transport reads from a message event. */
export interface MessageEventLike {
  readonly data: string;
  readonly lastEventId?: string;
}

/** The `EventSource` API (the browser's, or the `eventsource` package's). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onerror: ((event: { readonly code?: number; readonly message?: string }) => void) | null;
  addEventListener(type: string, listener: (event: MessageEventLike) => void): void;
  close(): void;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type EventSourceConstructor = new (
  url: string,
  init?: { withCredentials?: boolean; fetch?: (input: string | URL, init?: RequestInit) => Promise<Response> },
) => EventSourceLike;

/** The `WebSocket` API (browser, Node 22+, or the `ws` package, which also takes `{ headers }`). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, options?: { headers?: Record<string, string> }) => WebSocketLike;

/** `BroadcastChannel`, as far as tab sharing uses it. */
export interface BroadcastChannelLike {
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** The Web Locks API (`navigator.locks`). */
export interface LockManagerLike {
  request(name: string, options: { mode?: 'exclusive'; signal?: AbortSignal }, callback: () => Promise<void>): Promise<void>;
}

interface PlatformGlobals {
  EventSource?: EventSourceConstructor;
  WebSocket?: WebSocketConstructor;
  BroadcastChannel?: new (name: string) => BroadcastChannelLike;
  navigator?: { locks?: LockManagerLike };
  document?: unknown;
}

/** The running platform's globals, each possibly missing. */
export function platformGlobals(): PlatformGlobals {
  return globalThis as unknown as PlatformGlobals;
}

export type Timer = ReturnType<typeof setTimeout>;
