export * from './event-name.js';
export * from './event-scaffold.generator.js';
export * from './event-docs.builder.js';
export * from './event-docs.generator.js';
export * from './json-schema-to-typescript.js';
export * from './app-client-types.builder.js';
