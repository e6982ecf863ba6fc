import { describe, expect, it } from '@jest/globals';
import { SlowConsumerPolicy } from './slow-consumer-policy.js';

describe('SlowConsumerPolicy', () => {
  const policy = new SlowConsumerPolicy(1_000);

  it('lets a device hold up to the limit of unsent bytes', () => {
    expect(policy.isSlow({ bufferedBytes: 0 })).toBe(false);
    expect(policy.isSlow({ bufferedBytes: 1_000 })).toBe(false);
  });

  it('counts a device above the limit as a slow consumer', () => {
    expect(policy.isSlow({ bufferedBytes: 1_001 })).toBe(true);
  });
});
