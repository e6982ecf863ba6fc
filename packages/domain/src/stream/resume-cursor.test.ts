import { describe, expect, it } from '@jest/globals';
import { resumeProblemOf } from './resume-cursor.js';

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
