export * from './push-payload.js';
export * from './guarded-push-transport.js';
export * from './vapid-keys.js';
export * from './web-push-channel-sender.js';
