// @pushline/client in Node: the same API, with the `eventsource` package as the EventSource (it
// sends the Bearer token through its `fetch` option). Node 22+ brings its own WebSocket.
import { EventSource } from 'eventsource';
import type { PushlineClient, PushlineClientOptions } from './client-types.js';
import { createPushlineClientWith } from './create-pushline-client.js';
import type { EventSourceConstructor } from './platform.js';

export * from './index.js';

/** Connects at once; see the README for the options and what the client returns. */
export function createPushlineClient(options: PushlineClientOptions): PushlineClient {
  return createPushlineClientWith(options, { EventSource: EventSource as unknown as EventSourceConstructor });
}
