import { AuthenticationError, ConflictError, ForbiddenError, LimitExceededError, NotFoundError, ValidationError, type PushlineError } from './errors.js';

const STATUS: ReadonlyArray<readonly [abstract new (...args: never[]) => PushlineError, number]> = [
  [ValidationError, 400],
  [AuthenticationError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [LimitExceededError, 429],
];

/**
 * The HTTP status a deliberate refusal is answered with, the same wherever it is answered: API
 * routes (`errors.ts`) and WebSocket upgrades refused before the handshake. Any other PushlineError
 * is the client's fault too: 400. Errors that are not PushlineErrors are bugs (500), never mapped here.
 */
export function httpStatusOf(error: PushlineError): number {
  return STATUS.find(([type]) => error instanceof type)?.[1] ?? 400;
}
