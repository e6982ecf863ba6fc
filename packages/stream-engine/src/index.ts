export * from './event-type-filter.js';
export * from './device-session.js';
export * from './stream-hub.js';
export * from './tenant-lane.js';
export * from './upcasting-event-log.js';
export * from './observed-stream-fan-out.js';
