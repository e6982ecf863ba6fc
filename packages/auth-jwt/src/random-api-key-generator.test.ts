import { describe } from '@jest/globals';
import { describeApiKeyGeneratorContract } from '@pushline/testing';
import { RandomApiKeyGenerator } from './random-api-key-generator.js';

describe('RandomApiKeyGenerator', () => {
  describeApiKeyGeneratorContract('RandomApiKeyGenerator', () => new RandomApiKeyGenerator());
});
