import {
  StreamListeners,
  type StreamEntry,
  type StreamFanOut,
  type StreamInterest,
  type StreamInterestLease,
  type StreamListener,
  type StreamSubscriber,
} from '@pushline/domain';
import { connectRedis, isCluster, type RedisConnection, type RedisConnectionOptions, type RedisTarget } from './redis-connection.js';
import { RevocationHandlers } from './revocation-handlers.js';
import { ShardSubscriptions, type PubSubMode } from './shard-subscriptions.js';
import { groupByShard, streamShardOf } from './stream-shard.js';

/**
 * `url`: `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS); or `clusterNodes`, seeds
 * of a Redis Cluster (`host:port`), where `pubSubMode` should be `sharded` (the default there).
 */
export type RedisStreamBrokerOptions = RedisTarget & RedisStreamBrokerSettings;

export interface RedisStreamBrokerSettings {
  /** Prefix of the channel names, so several deployments or test runs can share one Redis. Default `pushline:`. */
  readonly keyPrefix?: string;
  /**
   * How many channels users' entries are spread over (by a hash of the user id). An instance
   * subscribes only to the shards of users it holds devices of. Every instance must use the same
   * count. Default 1024.
   */
  readonly shards?: number;
  /**
   * `sharded`: Redis 7 sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`): in a cluster each shard channel lives
   * on the node serving its slot, so no message crosses the cluster bus. Default `sharded` with
   * `clusterNodes`, `plain` with `url`.
   */
  readonly pubSubMode?: PubSubMode;
  /** Longest a PUBLISH waits for Redis before it rejects (the relay then retries the batch). Default 2000 ms. */
  readonly publishTimeoutMs?: number;
  /** Receives what a listener threw; the other listeners still get the entry. */
  readonly onListenerError?: (error: unknown) => void;
  /** Receives connection errors and messages that could not be read. Reconnection is automatic. */
  readonly onError?: (error: unknown) => void;
}

const RECONNECT_MAX_DELAY_MS = 2000;

/**
 * Carries committed stream entries between API instances over Redis pub/sub. A user's entries travel
 * on one of `shards` channels (by a hash of the user id): `fanOut` sends one message per shard present
 * in the batch, and an instance subscribes to a shard only while it holds a device of one of its users
 * (`watch`), so it receives roughly the users it serves instead of everyone's. One shard keeps its
 * users' entries in publish order, as one channel did.
 *
 * Pub/sub keeps nothing: an instance cut off from Redis misses what is published meanwhile. That is
 * safe because every entry is durable in the event log; `onSubscribed` handlers run each time the
 * subscription is (re)established, and the composition root makes every device re-read its stream
 * there. `publish` rejects at once while Redis is unreachable (no offline queue), so the outbox
 * relay keeps the rows and retries instead of this process buffering without bound.
 *
 * A second channel carries logouts, so a session's streams end on every instance at once.
 */
export class RedisStreamBroker implements StreamFanOut, StreamSubscriber, StreamInterest {
  /** Shard channel names are this prefix and the shard number. */
  readonly channelPrefix: string;
  readonly shards: number;
  /** The channel logouts travel on, so every instance closes the session's streams. */
  readonly revocationChannel: string;
  /**
   * Tenant broadcasts (entries of a tenant's shared stream, docs/stream-cursor.md) reach devices of
   * many users at once, so they are not sharded by user: every instance listens to this one channel.
   */
  readonly tenantBroadcastChannel: string;
  private readonly publisher: RedisConnection;
  private readonly subscriber: RedisConnection;
  private readonly listeners: StreamListeners;
  private readonly subscribedHandlers = new Set<() => void>();
  private readonly disconnectedHandlers = new Set<() => void>();
  private readonly revocations: RevocationHandlers;
  private readonly onError: (error: unknown) => void;
  private subscribed = false;
  private closing = false;
  private connectionWaiters: (() => void)[] = [];
  private readonly shardSubscriptions: ShardSubscriptions;
  private readonly pubSubMode: PubSubMode;

  constructor(options: RedisStreamBrokerOptions) {
    this.channelPrefix = `${options.keyPrefix ?? 'pushline:'}stream-entries:`;
    this.shards = options.shards ?? 1024;
    if (!Number.isInteger(this.shards) || this.shards < 1) throw new RangeError('shards must be a positive integer');
    this.pubSubMode = options.pubSubMode ?? (isCluster(options) ? 'sharded' : 'plain');
    this.revocationChannel = `${options.keyPrefix ?? 'pushline:'}session-revocations`;
    this.tenantBroadcastChannel = `${options.keyPrefix ?? 'pushline:'}tenant-broadcasts`;
    this.listeners = new StreamListeners(options.onListenerError);
    this.onError = options.onError ?? (() => {});
    this.revocations = new RevocationHandlers(this.revocationChannel, this.onError);
    const common: RedisConnectionOptions = {
      // Fail fast while disconnected instead of queueing: the outbox is the queue.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Reconnect for as long as the process lives, backing off to a steady 2 s.
      retryStrategy: (times) => Math.min(50 * 2 ** times, RECONNECT_MAX_DELAY_MS),
      connectionName: 'pushline-stream',
    };
    this.publisher = connectRedis(options, { ...common, commandTimeout: options.publishTimeoutMs ?? 2000 });
    // The subscription is renewed by hand on every 'ready', so the resync handlers run after it took effect.
    this.subscriber = connectRedis(options, { ...common, autoResubscribe: false, shardedSubscribers: this.pubSubMode === 'sharded' });
    this.shardSubscriptions = new ShardSubscriptions(this.subscriber, this.pubSubMode, (shard) => this.channelOf(shard), this.onError);

    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error) => this.onError(error));
      connection.on('close', () => {
        if (connection === this.subscriber) this.subscribed = false;
        if (!this.closing) this.notify(this.disconnectedHandlers);
      });
    }
    this.subscriber.on('ready', () => this.renewSubscription());
    this.publisher.on('ready', () => this.resolveConnectionWaiters());
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.revocationChannel) this.revocations.dispatch(message);
      else if (channel === this.tenantBroadcastChannel || channel.startsWith(this.channelPrefix)) this.dispatch(channel, message);
    });
    this.subscriber.on('smessage', (channel: string, message: string) => this.dispatch(channel, message));
    // A cluster's sharded subscribers are re-created by ioredis when a node goes or slots move, and
    // subscribe again by themselves; what was published to that node meanwhile is lost: resync.
    this.subscriber.on('subscribersReady', () => {
      if (this.subscribed) this.notify(this.subscribedHandlers);
    });
  }

  /** The channel a user's entries travel on. */
  channelOf(shard: number): string {
    return `${this.channelPrefix}${shard}`;
  }

  shardOf(userId: string): number {
    return streamShardOf(userId, this.shards);
  }

  async fanOut(entries: readonly StreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const broadcasts = entries.filter((entry) => entry.tenantStream !== undefined);
    const personal = broadcasts.length === 0 ? entries : entries.filter((entry) => entry.tenantStream === undefined);
    // One connection sends these in order, so each shard's users keep publish order across calls.
    await Promise.all([
      ...(broadcasts.length > 0 ? [this.publisher.publish(this.tenantBroadcastChannel, JSON.stringify(broadcasts))] : []),
      ...[...groupByShard(personal, this.shards)].map(([shard, group]) =>
        this.pubSubMode === 'sharded'
          ? this.publisher.spublish(this.channelOf(shard), JSON.stringify(group))
          : this.publisher.publish(this.channelOf(shard), JSON.stringify(group)),
      ),
    ]);
  }

  /**
   * Subscribes to the user's shard (on its first watcher). `ready` resolves once entries fanned out
   * from then on arrive here, or at once while Redis is unreachable: the renewal after reconnecting
   * subscribes every watched shard and then runs the `onSubscribed` handlers (resync).
   */
  watch(userId: string): StreamInterestLease {
    const shard = this.shardOf(userId);
    const ready = this.shardSubscriptions.watch(shard);
    let released = false;
    return {
      ready,
      release: () => {
        if (released) return;
        released = true;
        this.shardSubscriptions.release(shard);
      },
    };
  }

  /** How many shard channels this instance listens to (for tests and stats). */
  subscribedShards(): number {
    return this.shardSubscriptions.size;
  }

  /**
   * Tells every instance (this one included) that a session was revoked. Best effort: while Redis is
   * down it rejects, and other instances' streams of that session end only when their token expires.
   */
  async broadcastSessionRevoked(sessionId: string): Promise<void> {
    await this.publisher.publish(this.revocationChannel, JSON.stringify({ sessionId }));
  }

  /** Tells every instance that a user was disabled or deleted, so each closes that user's streams. Best effort, like a logout. */
  async broadcastUserRevoked(userId: string): Promise<void> {
    await this.publisher.publish(this.revocationChannel, JSON.stringify({ userId }));
  }

  /** Runs `handler` for every user revoked on any instance. */
  onUserRevoked(handler: (userId: string) => void): () => void {
    return this.revocations.onUser(handler);
  }

  /** Runs `handler` for every session revoked on any instance. */
  onSessionRevoked(handler: (sessionId: string) => void): () => void {
    return this.revocations.onSession(handler);
  }

  subscribe(listener: StreamListener): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Runs `handler` each time the Redis subscription is established: on start and after every
   * reconnection. Entries published while it was down never arrive, so re-read them from the log here.
   */
  onSubscribed(handler: () => void): () => void {
    const wrapped = (): void => handler();
    this.subscribedHandlers.add(wrapped);
    return () => this.subscribedHandlers.delete(wrapped);
  }

  /** Runs `handler` whenever a connection to Redis drops (possibly once per connection). */
  onDisconnected(handler: () => void): () => void {
    const wrapped = (): void => handler();
    this.disconnectedHandlers.add(wrapped);
    return () => this.disconnectedHandlers.delete(wrapped);
  }

  /** Resolves once `isConnected()`: publish works, and what is published from now on arrives here. */
  whenConnected(): Promise<void> {
    if (this.isConnected()) return Promise.resolve();
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  /** Both connections are up and the subscription is active: for readiness checks. */
  isConnected(): boolean {
    return this.subscribed && this.publisher.status === 'ready';
  }

  /** Closes both connections; no reconnection follows. */
  async close(): Promise<void> {
    this.closing = true;
    this.connectionWaiters = [];
    await Promise.all(
      [this.publisher, this.subscriber].map(async (connection) => {
        if (connection.status !== 'ready') return connection.disconnect();
        try {
          await connection.quit();
        } catch {
          connection.disconnect();
        }
      }),
    );
  }

  private renewSubscription(): void {
    Promise.all([this.subscriber.subscribe(this.revocationChannel, this.tenantBroadcastChannel), this.shardSubscriptions.renew()]).then(
      () => {
        this.subscribed = true;
        this.notify(this.subscribedHandlers);
        this.resolveConnectionWaiters();
      },
      // The connection dropped again before the reply; the next 'ready' retries.
      (error: unknown) => this.onError(error),
    );
  }

  private resolveConnectionWaiters(): void {
    if (!this.isConnected()) return;
    for (const resolve of this.connectionWaiters.splice(0)) resolve();
  }

  private notify(handlers: ReadonlySet<() => void>): void {
    for (const handler of handlers) {
      try {
        handler();
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private dispatch(channel: string, message: string): void {
    let entries: StreamEntry[];
    try {
      entries = JSON.parse(message) as StreamEntry[];
    } catch (error) {
      this.onError(new Error(`unreadable message on ${channel}`, { cause: error }));
      return;
    }
    this.listeners.dispatch(entries);
  }
}
