import fc from 'fast-check';

/** Code units one by one: controls, NUL, lone surrogates and all, as a hostile client can send them. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
export const nasty = fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\r\n', '\u0007', '%00', '\\u0000', '💥', '\ufeff', '../', '<script>');

/** Strings a hostile client would send: mostly short, with NULs, lone surrogates and controls. */
export const hostileString = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: anyCodeUnit, minLength: 1, maxLength: 40 }), weight: 2 },
  // Mostly plausible text with a nasty piece inside: it passes length and emptiness checks.
  { arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), nasty, fc.string({ maxLength: 8 })).map((parts) => parts.join('')), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
);

/** `{"a":{"a":…}}`, `levels` deep. */
export const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

const hugeNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 2 ** 53, 1e-320, 123456789012345678901234567890);

/** JSON values: wrong types, huge numbers, deep and wide structures, hostile keys and strings. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    hugeNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 5 }),
    fc.integer({ min: 1, max: 200 }).map(nested),
    fc.integer({ min: 1, max: 3000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
  ),
})).value;

/** A field's value: often plausible, often hostile, sometimes missing (undefined drops the key). */
export const fieldValue = (plausible: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: plausible, weight: 2 },
    { arbitrary: hostileString, weight: 3 },
    { arbitrary: hostileJson, weight: 2 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );

/** Percent-encodes every byte outside [A-Za-z0-9], or injects malformed and overlong escapes. */
export const urlPart = fc.oneof(
  hostileString.map((s) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('')),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%80', '%ED%A0%80', '%00', '%FF%FE', 'a%2', '%25%00', 'a%00b', '%ED%B0%80x'),
  fc.constantFrom('%', '%zz', '%00', '%ED%A0%80', 'x%00'),
  fc.stringMatching(/^[A-Za-z0-9._-]{0,20}$/),
);

/** A query string: known and unknown names, repeated or missing, hostile values. */
export const queryString = (names: readonly string[]): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), urlPart), fc.oneof(urlPart, fc.stringMatching(/^\d{1,20}$/))), { maxLength: 5 })
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));

/** Header values fetch can send (visible ASCII), hostile in content. */
export const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,40}$/);
