import type { ConnectionState, ControlType, StateReason, UnknownPushlineEvent, Unsubscribe } from './client-types.js';
import type { PushlineEvent } from './generated/event-types.js';

export type AnyEnvelope = PushlineEvent | UnknownPushlineEvent;

/** Where a connection (own, or relayed from the leader tab) puts what it receives, after dedupe. */
export interface StreamSink {
  event(envelope: AnyEnvelope, cursor: string | null): void;
  control(type: ControlType, data: unknown): void;
  state(state: ConnectionState, reason?: StateReason): void;
}

type Handler = (argument: never) => void;

/**
 * The handlers of one client. A throwing handler is reported (console.error) and never stops the
 * others or the connection, so one broken widget cannot blank a page.
 */
export class EventDispatch implements StreamSink {
  private readonly byType = new Map<string, Set<Handler>>();
  private readonly any = new Set<(event: AnyEnvelope) => void>();
  private readonly stateHandlers = new Set<(state: ConnectionState, reason?: StateReason) => void>();
  /** Called when a type gets its first handler (an SSE transport must name it to receive it). */
  onNewType: (type: string) => void = () => undefined;
  current: { state: ConnectionState; reason: StateReason | undefined } = { state: 'connecting', reason: undefined };

  on(type: string, handler: Handler): Unsubscribe {
    let set = this.byType.get(type);
    if (!set) {
      set = new Set();
      this.byType.set(type, set);
      this.onNewType(type);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  onAny(handler: (event: AnyEnvelope) => void): Unsubscribe {
    this.any.add(handler);
    return () => this.any.delete(handler);
  }

  onState(handler: (state: ConnectionState, reason?: StateReason) => void): Unsubscribe {
    this.stateHandlers.add(handler);
    return () => this.stateHandlers.delete(handler);
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  event(envelope: AnyEnvelope, _cursor?: string | null): void {
    for (const handler of [...(this.byType.get(envelope.type) ?? [])]) isolate(() => (handler as (e: AnyEnvelope) => void)(envelope));
    for (const handler of [...this.any]) isolate(() => handler(envelope));
  }

  control(type: ControlType, data: unknown): void {
    for (const handler of [...(this.byType.get(type) ?? [])]) isolate(() => (handler as (d: unknown) => void)(data));
  }

  state(state: ConnectionState, reason?: StateReason): void {
    if (this.current.state === state && this.current.reason === reason) return;
    this.current = { state, reason };
    for (const handler of [...this.stateHandlers]) isolate(() => handler(state, reason));
  }
}

function isolate(run: () => void): void {
  try {
    run();
  } catch (error) {
    console.error('[pushline] a handler threw', error);
  }
}
