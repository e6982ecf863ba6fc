import { DEFAULT_RECONNECT } from './backoff.js';
import { DEFAULT_FALLBACK } from './blocked-stream.detector.js';
import type { PushlineClientOptions } from './client-types.js';
import { platformGlobals, type FetchLike } from './platform.js';
import type { ConnectParams } from './transports/transport.js';

/** The options with every default filled in, checked once at creation. */
export interface ResolvedOptions extends Omit<PushlineClientOptions, 'fallback' | 'transport' | 'reconnect'> {
  readonly transport: 'sse' | 'ws' | 'poll';
  readonly reconnect: { readonly initialMs: number; readonly maxMs: number };
  readonly fallback: { readonly openTimeoutMs: number; readonly stallCheckMs: number } | undefined;
  /** What every transport attempt gets, besides the cursor, token and listened types. */
  readonly connect: Omit<ConnectParams, 'cursor' | 'token' | 'listenTypes'>;
}

export function resolveOptions(options: PushlineClientOptions, defaults: Partial<PushlineClientOptions> = {}): ResolvedOptions {
  if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
    throw new TypeError('baseUrl must be an http(s) URL, e.g. https://api.example.com');
  }
  const transport = options.transport ?? 'sse';
  if (!['sse', 'ws', 'poll'].includes(transport)) throw new TypeError(`transport must be 'sse', 'ws' or 'poll', not ${String(transport)}`);
  const globals = platformGlobals();
  const fetchImpl: FetchLike = options.fetch ?? defaults.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const EventSourceImpl = options.EventSource ?? defaults.EventSource ?? globals.EventSource;
  const WebSocketImpl = options.WebSocket ?? defaults.WebSocket ?? globals.WebSocket;
  // The browser's own EventSource and WebSocket cannot send an Authorization header.
  const nativeStream = transport === 'sse' ? !options.EventSource && !defaults.EventSource : transport === 'ws' && !options.WebSocket && !defaults.WebSocket;
  if (options.token !== undefined && nativeStream && globals.document !== undefined) {
    throw new TypeError(`a token in a browser needs the ${transport === 'sse' ? 'EventSource' : 'WebSocket'} option (the browser's own cannot send it), or transport 'poll', or the session cookie`);
  }
  const reconnect = {
    initialMs: positive(options.reconnect?.initialMs, DEFAULT_RECONNECT.initialMs, 'reconnect.initialMs'),
    maxMs: positive(options.reconnect?.maxMs, DEFAULT_RECONNECT.maxMs, 'reconnect.maxMs'),
  };
  const fallback =
    options.fallback === false
      ? undefined
      : {
          openTimeoutMs: positive(options.fallback?.openTimeoutMs, DEFAULT_FALLBACK.openTimeoutMs, 'fallback.openTimeoutMs'),
          stallCheckMs: positive(options.fallback?.stallCheckMs, DEFAULT_FALLBACK.stallCheckMs, 'fallback.stallCheckMs'),
        };
  return {
    ...options,
    transport,
    reconnect,
    fallback,
    connect: {
      apiUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/v1`,
      deviceId: options.deviceId,
      types: options.types,
      fetch: fetchImpl,
      EventSource: EventSourceImpl,
      WebSocket: WebSocketImpl,
      pollIntervalMs: positive(options.pollIntervalMs, 3000, 'pollIntervalMs'),
    },
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number of milliseconds`);
  return value;
}
