export * from './redis-connection.js';
export * from './redis-stream-broker.js';
export * from './stream-shard.js';
