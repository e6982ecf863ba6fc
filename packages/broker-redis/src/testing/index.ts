export * from './redis-cluster-probe.js';
export * from './redis-cluster-process.js';
export * from './redis-server-process.js';
