export * from './in-memory-stream-broker.js';
