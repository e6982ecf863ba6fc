export * from './sse-frame-encoder.js';
export * from './sse-device-sink.js';
export * from './sse-delivery-adapter.js';
