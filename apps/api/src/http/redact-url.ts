/** Query parameters whose values never reach a log: anything that looks like a credential. */
const SECRET_PARAMETER = /token|key|secret|pass|auth|sig|session|jwt|code|credential/i;
const REDACTED = '[redacted]';

/**
 * `url` with the values of credential-like query parameters replaced, e.g.
 * `/api/v1/stream?access_token=eyJ…&types=a` → `/api/v1/stream?access_token=[redacted]&types=a`.
 * The API never accepts a token in the URL, but clients send them anyway.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    return eq >= 0 && SECRET_PARAMETER.test(safeDecode(name)) ? `${name}=${REDACTED}` : pair;
  });
  return `${url.slice(0, q)}?${pairs.join('&')}`;
}

/** A parsed query with the same parameters redacted. */
export function redactQuery(query: unknown): unknown {
  if (query === null || typeof query !== 'object') return query;
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, SECRET_PARAMETER.test(name) ? REDACTED : value]));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
