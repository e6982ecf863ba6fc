import type { ConnectionState, ControlData, ControlType, StateReason } from '../client-types.js';
import type { AnyEnvelope, EventDispatch, StreamSink } from '../event-dispatch.js';
import { PUSHLINE_EVENT_TYPES, STREAM_CONTROL_TYPES } from '../generated/event-types.js';
import { LiveConnection } from '../live-connection.js';
import type { BroadcastChannelLike, LockManagerLike } from '../platform.js';
import type { ResolvedOptions } from '../resolve-options.js';
import type { StreamPosition } from '../stream-position.js';

const KNOWN_TYPES = new Set<string>([...PUSHLINE_EVENT_TYPES, ...STREAM_CONTROL_TYPES]);

/** What the tabs of one browser say to each other on the channel. */
type TabMessage =
  | { readonly k: 'event'; readonly envelope: AnyEnvelope; readonly cursor: string | null }
  | { readonly k: 'control'; readonly type: ControlType; readonly data: unknown }
  | { readonly k: 'state'; readonly state: ConnectionState; readonly reason?: StateReason; readonly cursor: string | null; readonly leader: string }
  | { readonly k: 'hello' }
  | { readonly k: 'listen'; readonly type: string }
  | { readonly k: 'finished'; readonly reason: StateReason };

export interface TabPlatform {
  readonly locks: LockManagerLike;
  readonly BroadcastChannel: new (name: string) => BroadcastChannelLike;
}

/**
 * One stream per browser: the tab holding the Web Lock runs the `LiveConnection` and relays every
 * event, control message and state change over `BroadcastChannel`; the others wait for the lock.
 * Every tab keeps the same `StreamPosition` (cursor and seen ids) from what it is relayed, so when the
 * leader's tab closes the browser grants the lock to the next tab, which resumes from that cursor:
 * the server replays what the old leader never relayed (no gap) and the position drops what was
 * relayed twice (no duplicate).
 */
export class SharedTabConnection {
  role: 'leader' | 'follower' = 'follower';
  private readonly channel: BroadcastChannelLike;
  private readonly abort = new AbortController();
  private readonly tabId = Math.random().toString(36).slice(2);
  private live: LiveConnection | undefined;
  private release: (() => void) | undefined;
  private lastLeader: string | undefined;
  private closed = false;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly position: StreamPosition,
    private readonly sink: EventDispatch,
    private readonly listenTypes: () => readonly string[],
    private readonly platform: TabPlatform,
  ) {
    const name = `pushline:${options.shareKey ?? options.baseUrl}`;
    this.channel = new platform.BroadcastChannel(name);
    this.channel.onmessage = (message) => this.received(message.data as TabMessage);
    this.sink.state('connecting');
    this.post({ k: 'hello' });
    platform.locks.request(name, { mode: 'exclusive', signal: this.abort.signal }, () => this.lead()).catch(() => undefined);
  }

  /** The leader's transport; followers do not know it. */
  get transport(): 'sse' | 'ws' | 'poll' | undefined {
    return this.live?.kind;
  }

  listen(type: string): void {
    if (this.live) this.live.listen(type);
    else this.post({ k: 'listen', type });
  }

  close(): void {
    if (this.closed) return;
    this.abort.abort();
    if (this.live) this.live.close();
    else this.sink.state('closed', 'client_closed');
    this.closed = true;
    this.release?.();
    this.channel.close();
  }

  private lead(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const takingOver = this.lastLeader !== undefined;
    this.role = 'leader';
    const relay: StreamSink = {
      event: (envelope, cursor) => {
        this.post({ k: 'event', envelope, cursor });
        this.sink.event(envelope, cursor);
      },
      control: (type, data) => {
        this.post({ k: 'control', type, data });
        this.sink.control(type, data);
      },
      state: (state, reason) => {
        // Followers carry on with the next leader: this leader leaving is not their end.
        if (state === 'closed' && reason === 'client_closed') this.postState('reconnecting', 'leader_changed');
        else {
          if (takingOver && state === 'connecting') [state, reason] = ['reconnecting', reason ?? 'leader_changed'];
          this.postState(state, reason);
        }
        this.sink.state(state, reason);
      },
    };
    this.live = new LiveConnection(this.options, this.position, relay, this.listenTypes, (reason) => {
      this.post({ k: 'finished', reason });
      this.closed = true;
      this.release?.();
    });
    const held = new Promise<void>((resolve) => (this.release = resolve));
    this.live.start();
    return held;
  }

  private received(message: TabMessage): void {
    if (this.closed) return;
    if (this.role === 'leader') {
      if (message.k === 'hello') this.postState(this.currentState().state, this.currentState().reason);
      else if (message.k === 'listen') this.live?.listen(message.type);
      return;
    }
    switch (message.k) {
      case 'event':
        if (this.position.accept(message.envelope.id, message.cursor)) this.sink.event(message.envelope, message.cursor);
        break;
      case 'control':
        if (message.type === 'stream.reset') {
          const reset = message.data as ControlData<'stream.reset'>;
          this.position.resetTo(reset.cursor, reset.stream);
          this.options.onReset?.(reset);
        } else if (message.type === 'stream.position') {
          this.position.advanceTo((message.data as ControlData<'stream.position'>).position);
        }
        this.sink.control(message.type, message.data);
        break;
      case 'state':
        this.position.advanceTo(message.cursor);
        if (message.leader !== this.lastLeader) {
          this.lastLeader = message.leader;
          // A new leader listens only for the types it knows of: tell it ours.
          for (const type of this.listenTypes()) if (!KNOWN_TYPES.has(type)) this.post({ k: 'listen', type });
        }
        this.sink.state(message.state, message.reason);
        break;
      case 'finished':
        this.closed = true;
        this.abort.abort();
        this.sink.state('closed', message.reason);
        this.channel.close();
        break;
      default:
        break;
    }
  }

  private currentState(): { state: ConnectionState; reason?: StateReason | undefined } {
    return this.sink.current;
  }

  private postState(state: ConnectionState, reason: StateReason | undefined): void {
    this.post({ k: 'state', state, ...(reason !== undefined && { reason }), cursor: this.position.id, leader: this.tabId });
  }

  private post(message: TabMessage): void {
    if (!this.closed) this.channel.postMessage(message);
  }
}
