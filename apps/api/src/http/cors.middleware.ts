import cors from 'cors';

/**
 * CORS for browser clients on the origins in `CORS_ORIGINS`, credentials (the session cookie) included.
 * Other origins get no CORS headers at all, so a browser keeps their pages from reading any answer.
 * Plain node:http requests work too (the stream open is served ahead of express).
 */
export function corsFor(origins: readonly string[]): ReturnType<typeof cors> {
  const allowed = new Set(origins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Device-Id', 'X-Request-Id', 'Last-Event-ID'],
    exposedHeaders: ['Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id'],
    maxAge: 600,
  });
}
