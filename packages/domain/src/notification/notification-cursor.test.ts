import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../shared/errors.js';
import { decodeNotificationCursor, encodeNotificationCursor } from './notification-cursor.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('notification cursors', () => {
  it('decode what they encode', () => {
    const cursor = { createdAt: new Date('2026-05-01T10:00:00.123Z'), id: '0b8f6a2e-5c1d-4c2b-9f1e-2d3c4b5a6f70' };
    expect(decodeNotificationCursor(encodeNotificationCursor(cursor))).toEqual(cursor);
  });

  // Finding 3 of issue #9: these reached the database and answered 500.
  it.each([
    ['a negative-year date', b64('-000001-01-01T00:00:00.000Z|n1')],
    ['a NUL in the id', b64('2026-05-01T10:00:00.000Z|n1\u0000')],
    ['a NUL in the raw cursor', 'abc\u0000'],
    ['an impossible date', b64('2026-02-31T10:00:00.000Z|n1')],
    ['no id', b64('2026-05-01T10:00:00.000Z|')],
    ['not base64url', '!!!'],
    ['non-canonical padding', `${b64('2026-05-01T10:00:00.000Z|n1')}=`],
  ])('refuses %s as a validation error of before', (_, raw) => {
    expect(() => decodeNotificationCursor(raw)).toThrow(expect.objectContaining({ field: 'before', constructor: ValidationError }));
  });
});
