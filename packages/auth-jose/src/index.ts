export * from './jose-external-token-verifier.js';
