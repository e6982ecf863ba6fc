import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../shared/errors.js';
import { parseCursor, parseCursorParam, resumeProblemOf } from './resume-cursor.js';

describe('resumeProblemOf', () => {
  it.each([
    [5, 10, null, null],
    [10, 10, null, null],
    [0, 10, 1, null],
    [4, 10, 5, null], // the next entry (5) is still there
    [3, 10, 5, 'cursor_expired'], // 4 was removed
    [11, 10, null, 'cursor_unknown'],
  ] as const)('cursor %i with head %i and oldest %p → %p', (cursor, head, oldest, expected) => {
    expect(resumeProblemOf(cursor, head, oldest)).toBe(expected);
  });
});

/** The ValidationError `fn` throws, or a failure if it throws none. */
function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseCursor', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['42', 42],
    ['007', 7],
    ['999999999999999', 999_999_999_999_999], // 15 digits: the largest cursor
  ])('reads %p as %p', (raw, expected) => {
    expect(parseCursor(raw, 'lastEventId')).toBe(expected);
  });

  it.each([undefined, null, ''])('reads %p as no cursor', (raw) => {
    expect(parseCursor(raw, 'lastEventId')).toBeNull();
  });

  it.each([
    ['negative', '-1'],
    ['signed', '+1'],
    ['fraction', '1.5'],
    ['decimal point', '1.0'],
    ['exponent', '1e3'],
    ['hex', '0x10'],
    ['spaces', ' 5'],
    ['trailing space', '5 '],
    ['letters', 'abc'],
    ['16 digits (above 15)', '1000000000000000'],
    ['MAX_SAFE_INTEGER', String(Number.MAX_SAFE_INTEGER)],
    ['huge', '9'.repeat(400)],
    ['a list', '1, 2'],
    ['a number, not a string', 5],
    ['an object', { a: '1' }],
  ])('refuses %s (%p), naming the field', (_, raw) => {
    const error = refusal(() => parseCursor(raw, 'Last-Event-ID'));
    expect({ code: error.code, field: error.field, message: error.message }).toEqual({
      code: 'validation_failed',
      field: 'Last-Event-ID',
      message: 'Last-Event-ID must be a cursor received from this stream',
    });
  });
});

describe('parseCursorParam', () => {
  it('reads a single value, or a parameter given once', () => {
    expect(parseCursorParam('12', 'after')).toBe(12);
    expect(parseCursorParam(['12'], 'after')).toBe(12);
    expect(parseCursorParam(undefined, 'after')).toBeNull();
    expect(parseCursorParam([], 'after')).toBeNull();
  });

  it('refuses a repeated parameter, even with equal values', () => {
    for (const raw of [['1', '2'], ['3', '3'], ['1', '2', '3']]) {
      const error = refusal(() => parseCursorParam(raw, 'after'));
      expect({ field: error.field, message: error.message }).toEqual({ field: 'after', message: `after was given ${raw.length} times; send one cursor` });
    }
  });

  it('checks a value given once like parseCursor', () => {
    expect(refusal(() => parseCursorParam(['-1'], 'after')).field).toBe('after');
    expect(refusal(() => parseCursorParam([{ a: '1' }], 'after')).field).toBe('after');
  });
});
