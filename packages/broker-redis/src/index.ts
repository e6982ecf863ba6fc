export * from './redis-stream-broker.js';
