export * from './redis-cluster-probe.js';
export * from './redis-server-process.js';
