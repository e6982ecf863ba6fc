import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Whether the request carries `Authorization: Bearer <expected>`. Compares digests in constant time,
 * so neither the token nor its length leaks through timing.
 */
export function hasBearerToken(req: Request, expected: string): boolean {
  const header = req.get('authorization');
  if (!header?.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(expected));
}
