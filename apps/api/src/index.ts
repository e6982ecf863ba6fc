export * from './config.js';
export * from './server.js';
export * from './logger.js';
export * from './demo-users.js';
export { TOKENS } from './tokens.js';
