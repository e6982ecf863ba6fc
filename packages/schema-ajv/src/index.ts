export * from './ajv-json-schema-validator.js';
