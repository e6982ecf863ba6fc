export * from './create-metrics-registry.js';
export * from './prometheus-http-metrics.js';
export * from './prometheus-stream-observer.js';
export * from './prometheus-webhook-observer.js';
export * from './prometheus-handler-observer.js';
export * from './prometheus-channel-observer.js';
export * from './prometheus-relay-metrics.js';
