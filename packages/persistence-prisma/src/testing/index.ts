export * from './create-test-database.js';
export * from './stream-outbox.js';
