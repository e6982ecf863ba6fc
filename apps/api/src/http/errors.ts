import { ConflictError, httpStatusOf, PushlineError, ValidationError } from '@pushline/domain';
import type { ServerResponse } from 'node:http';
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

/** What an error is answered with: a domain error's 4xx, a body-parser 4xx, or (undefined) a 500 to log. */
export function errorAnswerOf(error: unknown): { readonly status: number; readonly body: ErrorBody } | undefined {
  if (error instanceof PushlineError) {
    const field = error instanceof ValidationError || error instanceof ConflictError ? error.field : undefined;
    const current = error instanceof ConflictError ? error.current : undefined;
    return { status: httpStatusOf(error), body: { error: { code: error.code, message: error.message, ...(field && { field }) }, ...(current && { current }) } };
  }
  // Malformed JSON bodies and oversized payloads arrive from body-parser as http errors.
  const httpError = error as { status?: number; type?: string; message?: string };
  if (httpError?.status && httpError.status >= 400 && httpError.status < 500) {
    const code = httpError.type === 'entity.too.large' ? 'payload_too_large' : 'bad_request';
    const message = httpError.type === 'entity.parse.failed' ? 'body is not valid JSON' : (httpError.message ?? 'bad request');
    return { status: httpError.status, body: { error: { code, message, field: 'body' } } };
  }
  return undefined;
}

export const INTERNAL_ERROR: ErrorBody = { error: { code: 'internal', message: 'internal server error' } };

/** Maps domain errors to 4xx; anything else is logged and answered with an opaque 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const answer = answerOrLog(logger, req.id, error);
    res.status(answer.status).json(answer.body);
  };
}

/** errorHandler() without express (the stream fast path): the same status and JSON body. */
export function answerErrorRaw(logger: Logger, reqId: unknown, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const answer = answerOrLog(logger, reqId, error);
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A 4xx error's answer, or (logged) the opaque 500. */
function answerOrLog(logger: Logger, reqId: unknown, error: unknown): { readonly status: number; readonly body: ErrorBody } {
  const answer = errorAnswerOf(error);
  if (answer) return answer;
  logger.error({ err: error, reqId }, 'unhandled error');
  return { status: 500, body: INTERNAL_ERROR };
}
