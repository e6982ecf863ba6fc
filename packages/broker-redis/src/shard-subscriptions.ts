import type { RedisConnection } from './redis-connection.js';

/** Plain channels (`SUBSCRIBE`) or Redis 7 sharded channels (`SSUBSCRIBE`, routed by slot in a cluster). */
export type PubSubMode = 'plain' | 'sharded';

const READY = Promise.resolve();

/**
 * The shard channels one subscriber connection listens to, counted by the users watching each:
 * subscribed when the first user of a shard is watched, unsubscribed when the last is released.
 * Commands go out in call order on one connection, so a quick release-then-watch ends subscribed.
 */
export class ShardSubscriptions {
  private readonly watchers = new Map<number, number>();
  private readonly pending = new Map<number, Promise<void>>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly mode: PubSubMode,
    private readonly channelOf: (shard: number) => string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Resolves once the shard's channel is subscribed. While the connection is down it resolves at
   * once: the renewal after reconnecting subscribes every watched shard, then resyncs every device.
   */
  watch(shard: number): Promise<void> {
    const count = this.watchers.get(shard) ?? 0;
    this.watchers.set(shard, count + 1);
    if (count > 0) return this.pending.get(shard) ?? READY;
    if (this.connection.status !== 'ready') return READY;
    const subscribing: Promise<void> = this.send('subscribe', [this.channelOf(shard)]).finally(() => {
      if (this.pending.get(shard) === subscribing) this.pending.delete(shard);
    });
    this.pending.set(shard, subscribing);
    return subscribing;
  }

  release(shard: number): void {
    const count = this.watchers.get(shard) ?? 0;
    if (count > 1) {
      this.watchers.set(shard, count - 1);
      return;
    }
    this.watchers.delete(shard);
    this.pending.delete(shard);
    if (this.connection.status === 'ready') void this.send('unsubscribe', [this.channelOf(shard)]);
  }

  /** Subscribes every watched shard again (after a reconnection); resolves when Redis acknowledged. */
  renew(): Promise<void> {
    const channels = [...this.watchers.keys()].map(this.channelOf);
    return channels.length === 0 ? READY : this.send('subscribe', channels);
  }

  /** How many shard channels are subscribed (or being subscribed). */
  get size(): number {
    return this.watchers.size;
  }

  /** Never rejects: a failed command means the connection dropped, and the renewal covers it. */
  private send(verb: 'subscribe' | 'unsubscribe', channels: string[]): Promise<void> {
    // Sharded channels one per command: in a cluster each may hash to another slot (CROSSSLOT otherwise).
    const sent =
      this.mode === 'sharded'
        ? Promise.all(channels.map((channel) => (verb === 'subscribe' ? this.connection.ssubscribe(channel) : this.connection.sunsubscribe(channel))))
        : verb === 'subscribe'
          ? this.connection.subscribe(...channels)
          : this.connection.unsubscribe(...channels);
    return sent.then(
      () => {},
      (error: unknown) => this.onError(error),
    );
  }
}
