import { ValidationError } from '@pushline/domain';
import type { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * Bounds on any parsed input (body, query, path parameters). Deeper or wider input is refused before
 * any schema or database sees it; `data` has its own, tighter limits in the domain.
 */
export const INPUT_LIMITS = {
  maxDepth: 32,
  maxKeys: 2000,
} as const;

// NUL cannot be stored in PostgreSQL text; a lone surrogate is not valid UTF-8 (nor jsonb).
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a string, or undefined when it is safe to store and echo. */
export function unsafeTextProblem(value: string): string | undefined {
  const match = UNSAFE_TEXT.exec(value);
  if (!match) return undefined;
  return match[0] === '\u0000' ? 'must not contain NUL characters' : 'must not contain unpaired UTF-16 surrogates';
}

/**
 * The one place text is checked: every string (values and keys) of `input`, at any depth, plus the
 * depth and key-count bounds. Throws a ValidationError naming the first offending field (`root` for
 * the input as a whole).
 */
export function assertSafeInput(input: unknown, root = 'body'): void {
  let keys = 0;
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    const field = path || root;
    if (typeof value === 'string') {
      const problem = unsafeTextProblem(value);
      if (problem) throw new ValidationError(field, `${field} ${problem}`);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= INPUT_LIMITS.maxDepth) throw new ValidationError(field, `${field} is nested deeper than ${INPUT_LIMITS.maxDepth} levels`);
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    keys += entries.length;
    if (keys > INPUT_LIMITS.maxKeys) throw new ValidationError(root, `${root} has more than ${INPUT_LIMITS.maxKeys} keys and items`);
    for (const [key, child] of entries) {
      const keyProblem = unsafeTextProblem(key);
      if (keyProblem) throw new ValidationError(field, `keys of ${field} ${keyProblem}`);
      stack.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
}

/**
 * Query strings: every parameter at most once (`?types=a&types=b` is ambiguous, so it is refused
 * rather than half-read), and its text checked like any other input.
 */
export function guardQuery(): RequestHandler {
  return (req, _res, next) => {
    for (const [key, value] of Object.entries(req.query)) {
      const field = queryFieldName(key);
      if (Array.isArray(value)) return next(new ValidationError(field, `${field} must be given once`));
      if (typeof value !== 'string') return next(new ValidationError(field, `${field} must be a plain value`));
    }
    try {
      assertSafeInput(req.query, 'query');
    } catch (error) {
      return next(error);
    }
    next();
  };
}

/** A query parameter's name as an error's `field`; an empty or unsafe name is reported as `query`. */
export function queryFieldName(key: string): string {
  return key === '' || unsafeTextProblem(key) ? 'query' : key;
}

/**
 * Express answers a malformed %-escape in a path parameter with a bare 400 error; this names the
 * parameter. Mount it after the routes of a router whose paths have exactly that parameter.
 */
export function malformedPathParameter(name: string): ErrorRequestHandler {
  return (error: unknown, _req, _res, next) => {
    const e = error as { status?: number; message?: unknown };
    if (e?.status === 400 && typeof e.message === 'string' && e.message.startsWith('Failed to decode param')) {
      return next(new ValidationError(name, `${name} is not a valid %-encoded path segment`));
    }
    next(error);
  };
}
