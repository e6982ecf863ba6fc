export * from './config.js';
export * from './server.js';
export * from './logger.js';
export * from './demo-users.js';
export { Ports } from './composition/ports.js';
export type { Services, Resolver, ServiceId } from './composition/typed-container.js';
