export * from './stream-broker.contract.js';
export * from './user-repository.contract.js';
export * from './notification-repository.contract.js';
export * from './unit-of-work.contract.js';
export * from './event-log.contract.js';
export * from './delivery-adapter.contract.js';
export * from './handler-job-queue.contract.js';
export * from './preference-repository.contract.js';
