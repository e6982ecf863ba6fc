export * from './stream-broker.contract.js';
export * from './user-repository.contract.js';
export * from './notification-repository.contract.js';
export * from './unit-of-work.contract.js';
export * from './event-log.contract.js';
export * from './delivery-adapter.contract.js';
export * from './session-store.contract.js';
