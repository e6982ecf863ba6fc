export * from './smtp-email-sender.js';
export * from './email-content.js';
export * from './unsubscribe-tokens.js';
