import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '../shared/errors.js';
import { formatStreamPosition, parseStreamPosition, parseStreamPositionParam } from './stream-position.js';

const cursor = fc.integer({ min: 0, max: 999_999_999_999_999 });

function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('the combined stream position', () => {
  it('reads back every position it writes', () => {
    fc.assert(
      fc.property(cursor, cursor, (personal, tenant) => {
        expect(parseStreamPosition(formatStreamPosition({ personal, tenant }), 'Last-Event-ID')).toEqual({ personal, tenant });
      }),
      { seed: 10_005, numRuns: 500 },
    );
  });

  it('writes a plain cursor while the tenant position is 0, so ids of before broadcasts do not change', () => {
    expect(formatStreamPosition({ personal: 41, tenant: 0 })).toBe('41');
    expect(formatStreamPosition({ personal: 41, tenant: 7 })).toBe('41.7');
    expect(formatStreamPosition({ personal: 0, tenant: 3 })).toBe('0.3');
  });

  it('reads a plain cursor (an older client) as tenant position 0', () => {
    expect(parseStreamPosition('41', 'Last-Event-ID')).toEqual({ personal: 41, tenant: 0 });
    expect(parseStreamPosition('41.7', 'Last-Event-ID')).toEqual({ personal: 41, tenant: 7 });
    expect(parseStreamPosition('007.010', 'x')).toEqual({ personal: 7, tenant: 10 });
    for (const none of [undefined, null, '']) expect(parseStreamPosition(none, 'x')).toBeNull();
  });

  it('orders like the pair it names: a later id never reads as an earlier position', () => {
    fc.assert(
      fc.property(fc.nat(999_999_999_998_000), fc.nat(999_999_999_998_000), fc.nat(1000), fc.nat(1000), (p, t, dp, dt) => {
        const before = parseStreamPosition(formatStreamPosition({ personal: p, tenant: t }), 'id')!;
        const after = parseStreamPosition(formatStreamPosition({ personal: p + dp, tenant: t + dt }), 'id')!;
        expect(after.personal - before.personal).toBe(dp);
        expect(after.tenant - before.tenant).toBe(dt);
      }),
      { seed: 10_006, numRuns: 300 },
    );
  });

  it.each([
    ['negative', '-1'],
    ['a trailing dot', '41.'],
    ['a leading dot', '.7'],
    ['three parts', '1.2.3'],
    ['an exponent', '1e3'],
    ['spaces', '41 .7'],
    ['a sign in the tenant part', '41.+7'],
    ['16 digits in the tenant part', '1.1000000000000000'],
    ['a number, not a string', 5],
    ['an object', { personal: 1 }],
  ])('refuses %s (%p), naming the field', (_, raw) => {
    const error = refusal(() => parseStreamPosition(raw, 'Last-Event-ID'));
    expect({ field: error.field, message: error.message }).toEqual({ field: 'Last-Event-ID', message: 'Last-Event-ID must be a cursor received from this stream' });
  });

  it('refuses any string that is not two digit runs, whatever it is (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        const valid = /^\d{1,15}(\.\d{1,15})?$/.test(raw);
        if (valid || raw === '') expect(() => parseStreamPosition(raw, 'id')).not.toThrow();
        else expect(refusal(() => parseStreamPosition(raw, 'id')).field).toBe('id');
      }),
      { seed: 10_007, numRuns: 500 },
    );
  });

  it('takes a query parameter given once, and refuses a repeated one', () => {
    expect(parseStreamPositionParam(['3.4'], 'after')).toEqual({ personal: 3, tenant: 4 });
    expect(parseStreamPositionParam(undefined, 'after')).toBeNull();
    expect(refusal(() => parseStreamPositionParam(['1', '1.2'], 'after')).message).toBe('after was given 2 times; send one cursor');
  });
});
