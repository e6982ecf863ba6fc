import { ConflictError, httpStatusOf, PushlineError, ValidationError } from '@pushline/domain';
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { assertSafeInput } from './input-guard.js';

/** The one error shape every route answers with. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
  /** With a 409: the entity's current state, so the client can reconcile without another request. */
  readonly current?: Readonly<Record<string, unknown>>;
}

export function sendError(res: Response, status: number, code: string, message: string, field?: string, current?: Readonly<Record<string, unknown>>): void {
  const body: ErrorBody = { error: { code, message, ...(field && { field }) }, ...(current && { current }) };
  res.status(status).json(body);
}

/**
 * Checks `input`'s text and shape (see input-guard.ts), then parses it with `schema`, turning the
 * first problem into a ValidationError that names its field.
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, root = 'body'): z.output<T> {
  assertSafeInput(input, root);
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || root;
  throw new ValidationError(field, issue ? messageOf(field, issue, valueAt(input, issue.path)) : `${field} is not valid`);
}

const ARTICLE: Record<string, string> = { object: 'an object', record: 'an object', array: 'an array', int: 'an integer' };

/** "title is required" only when it is missing; a wrong type says what it must be. */
function messageOf(field: string, issue: z.core.$ZodIssue, given: unknown): string {
  if (issue.code === 'invalid_type') {
    if (given === undefined) return `${field} is required`;
    return `${field} must be ${ARTICLE[issue.expected] ?? `a ${issue.expected}`}`;
  }
  return `${field}: ${issue.message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** Maps domain errors to 4xx; anything else is logged and answered with an opaque 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof PushlineError) {
      const field = error instanceof ValidationError || error instanceof ConflictError ? error.field : undefined;
      sendError(res, httpStatusOf(error), error.code, error.message, field, error instanceof ConflictError ? error.current : undefined);
      return;
    }
    // Malformed JSON bodies and oversized payloads arrive from body-parser as http errors.
    const httpError = error as { status?: number; type?: string; message?: string };
    if (httpError.status && httpError.status >= 400 && httpError.status < 500) {
      const code = httpError.type === 'entity.too.large' ? 'payload_too_large' : 'bad_request';
      sendError(res, httpError.status, code, httpError.type === 'entity.parse.failed' ? 'body is not valid JSON' : (httpError.message ?? 'bad request'), 'body');
      return;
    }
    logger.error({ err: error, reqId: req.id }, 'unhandled error');
    sendError(res, 500, 'internal', 'internal server error');
  };
}
