export * from './redis-stream-broker.js';
export * from './stream-shard.js';
