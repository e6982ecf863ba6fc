import type { PushlineClient, PushlineClientOptions } from './client-types.js';
import { EventDispatch } from './event-dispatch.js';
import { PUSHLINE_EVENT_TYPES, STREAM_CONTROL_TYPES } from './generated/event-types.js';
import { LiveConnection } from './live-connection.js';
import { platformGlobals } from './platform.js';
import { resolveOptions } from './resolve-options.js';
import { StreamPosition } from './stream-position.js';
import { SharedTabConnection } from './tabs/shared-tab.connection.js';

/**
 * Connects at once and keeps the connection: typed handlers by event type, a connection state with
 * its reason, the cursor to resume from. `defaults` are the platform entry's (Node: `eventsource`).
 */
export function createPushlineClientWith(options: PushlineClientOptions, defaults: Partial<PushlineClientOptions>): PushlineClient {
  const resolved = resolveOptions(options, defaults);
  const dispatch = new EventDispatch();
  const position = new StreamPosition(options.cursor ?? null);
  const listenTypes = (): string[] => [...new Set<string>([...PUSHLINE_EVENT_TYPES, ...STREAM_CONTROL_TYPES, ...dispatch.types()])];

  const globals = platformGlobals();
  const locks = globals.navigator?.locks;
  const BroadcastChannelImpl = globals.BroadcastChannel;
  // Tabs share only where both APIs exist; elsewhere (old browsers, Node, React Native) each client connects.
  const connection =
    options.shareAcrossTabs && locks && BroadcastChannelImpl
      ? new SharedTabConnection(resolved, position, dispatch, listenTypes, { locks, BroadcastChannel: BroadcastChannelImpl })
      : new LiveConnection(resolved, position, dispatch, listenTypes);
  dispatch.onNewType = (type) => connection.listen(type);
  if (connection instanceof LiveConnection) connection.start();

  return {
    on: (type, handler) => dispatch.on(type, handler as never),
    onAny: (handler) => dispatch.onAny(handler),
    onState: (handler) => dispatch.onState(handler),
    get state() {
      return dispatch.current.state;
    },
    get reason() {
      return dispatch.current.reason;
    },
    get cursor() {
      return position.cursor;
    },
    get position() {
      return position.id;
    },
    get transport() {
      return connection instanceof LiveConnection ? connection.kind : (connection.transport ?? resolved.transport);
    },
    get role() {
      return connection instanceof LiveConnection ? 'solo' : connection.role;
    },
    close: () => connection.close(),
  };
}
