import { describe, expect, it } from '@jest/globals';
import { OriginPolicy } from '../../src/http/origin-policy.js';
import { redactQuery, redactUrl } from '../../src/http/redact-url.js';
import { assertSafeInput } from '../../src/http/input-guard.js';

describe('redactUrl', () => {
  it.each([
    ['/api/v1/stream?access_token=abc&types=a.*', '/api/v1/stream?access_token=[redacted]&types=a.*'],
    ['/x?API_KEY=1&apikey=2&sig=3&code=4&password=5&page=6', '/x?API_KEY=[redacted]&apikey=[redacted]&sig=[redacted]&code=[redacted]&password=[redacted]&page=6'],
    ['/x?access%5Ftoken=abc', '/x?access%5Ftoken=[redacted]'],
    ['/x?token', '/x?token'],
    ['/x', '/x'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('redacts parsed queries the same way', () => {
    expect(redactQuery({ access_token: 'abc', types: 'a' })).toEqual({ access_token: '[redacted]', types: 'a' });
  });
});

describe('OriginPolicy', () => {
  const policy = new OriginPolicy(['https://app.example.com']);
  it.each([
    [undefined, 'api.example.com', true],
    ['https://api.example.com', 'api.example.com', true],
    ['https://API.example.com', 'api.example.com', true],
    ['https://app.example.com', 'api.example.com', true],
    ['https://api.example.com:8443', 'api.example.com', false],
    ['https://evil.example.com', 'api.example.com', false],
    ['null', 'api.example.com', false],
    ['not a url', 'api.example.com', false],
    ['https://api.example.com', undefined, false],
  ])('origin %s with host %s → %s', (origin, host, allowed) => {
    expect(policy.allows(origin, host)).toBe(allowed);
  });
});

describe('assertSafeInput', () => {
  it.each([
    [{ a: 'ok', b: ['x', { c: 'fine 💥' }] }, null],
    [{ a: 'bad\u0000' }, 'a'],
    [{ list: ['x', '\ud800'] }, 'list.1'],
    [{ 'k\udc00': 1 }, 'body'],
    ['\udfff', 'body'],
  ])('%j → %s', (input, field) => {
    if (field === null) expect(() => assertSafeInput(input)).not.toThrow();
    else expect(() => assertSafeInput(input)).toThrow(expect.objectContaining({ field }));
  });

  it('bounds depth and width', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => assertSafeInput(deep)).toThrow(/deeper than 32/);
    expect(() => assertSafeInput({ a: Array.from({ length: 2001 }, () => 1) })).toThrow(/more than 2000/);
  });
});
