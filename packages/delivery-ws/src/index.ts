export * from './ws-message-encoder.js';
export * from './ws-close-codes.js';
export * from './ws-device-sink.js';
export * from './ws-delivery-adapter.js';
