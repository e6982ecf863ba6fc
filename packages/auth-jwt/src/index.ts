export * from './jwt-token-service.js';
export * from './scrypt-password-hasher.js';
export * from './random-api-key-generator.js';
