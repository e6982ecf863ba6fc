export * from './create-test-database.js';
