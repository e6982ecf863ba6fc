import { ConflictError, httpStatusOf, PushlineError, ValidationError } from '@pushline/domain';
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';

/** The one error shape every route answers with. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

export function sendError(res: Response, status: number, code: string, message: string, field?: string): void {
  const body: ErrorBody = { error: { code, message, ...(field && { field }) } };
  res.status(status).json(body);
}

/** Parses `input` with `schema`, turning the first problem into a ValidationError that names its field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  throw new ValidationError(field, issue?.code === 'invalid_type' && issue.input === undefined ? `${field} is required` : `${field}: ${issue?.message ?? 'invalid'}`);
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
      sendError(res, httpStatusOf(error), error.code, error.message, field);
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
