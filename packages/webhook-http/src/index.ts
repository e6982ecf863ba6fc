export * from './standard-webhooks-signature.js';
export * from './webhook-destination-policy.js';
export * from './http-webhook-sender.js';
