import { describe, expect, it } from '@jest/globals';
import { fullJitterDelay } from './backoff.js';
import { StreamPosition } from './stream-position.js';

describe('StreamPosition', () => {
  it('drops an event at or below the cursor, and one seen before by id', () => {
    const position = new StreamPosition(4);
    expect(position.accept('a', 4)).toBe(false);
    expect(position.accept('b', 5)).toBe(true);
    expect(position.accept('b', 6)).toBe(false);
    expect(position.accept('c', null)).toBe(true);
    expect(position.accept('c', null)).toBe(false);
    expect(position.cursor).toBe(5);
    position.advanceTo(3);
    expect(position.cursor).toBe(5);
    position.resetTo(2);
    expect(position.cursor).toBe(2);
  });
});

describe('fullJitterDelay', () => {
  it('is uniform in [0, min(max, initial·2ⁿ)]', () => {
    const options = { initialMs: 500, maxMs: 30_000 };
    expect([0, 1, 2, 5, 6, 40].map((n) => fullJitterDelay(n, options, () => 0.999999))).toEqual([499, 999, 1999, 15999, 29999, 29999]);
    expect(fullJitterDelay(3, options, () => 0)).toBe(0);
    expect(fullJitterDelay(0, {}, () => 0.5)).toBe(250);
  });
});
