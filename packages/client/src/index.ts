// @pushline/client for browsers and React Native: no import outside this package, so the built files
// load as plain ES modules. Node resolves `./node.js` instead (package.json `exports`).
import type { PushlineClient, PushlineClientOptions } from './client-types.js';
import { createPushlineClientWith } from './create-pushline-client.js';

/** Connects at once; see the README for the options and what the client returns. */
export function createPushlineClient(options: PushlineClientOptions): PushlineClient {
  return createPushlineClientWith(options, {});
}

export * from './client-types.js';
export type * from './generated/event-types.js';
export { PUSHLINE_EVENT_TYPES, STREAM_CONTROL_TYPES } from './generated/event-types.js';
export { fullJitterDelay, DEFAULT_RECONNECT, type ReconnectOptions } from './backoff.js';
export { createPushlineApi, PushlineApiError, type PushlineApi, type PushlineApiOptions } from './rest/pushline-api.js';
export type * from './rest/api-types.js';
export { createInboxStore, type InboxSnapshot, type InboxStore } from './inbox/inbox-store.js';
export { newerCounts } from './inbox/counts-rule.js';
export type { EventSourceConstructor, WebSocketConstructor, FetchLike } from './platform.js';
