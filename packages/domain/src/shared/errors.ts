/**
 * Errors the domain and application raise on purpose. Adapters translate them (`httpStatusOf` gives
 * the HTTP status of each, for every transport); anything else is a bug and is reported as a 500
 * without details.
 */
export abstract class PushlineError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input breaks a rule of the domain; `field` names the offending input (dotted path). */
export class ValidationError extends PushlineError {
  readonly code = 'validation_failed';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends PushlineError {
  readonly code = 'not_found';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} was not found`);
  }
}

export class AuthenticationError extends PushlineError {
  readonly code = 'unauthenticated';
}

/**
 * The caller is known (or need not be), but this request is not allowed, e.g. from a foreign origin;
 * `code` says why when more precise (e.g. `insufficient_scope`, `not_installed`).
 */
export class ForbiddenError extends PushlineError {
  constructor(
    message: string,
    readonly code: string = 'forbidden',
  ) {
    super(message);
  }
}

/** An operator disabled the caller's tenant: its users' tokens and logins and its apps' keys get 403 `tenant_disabled`. */
export class TenantDisabledError extends ForbiddenError {
  constructor() {
    super('this tenant is disabled by the operator', 'tenant_disabled');
  }
}

/** A publisher handed the bus an event whose payload breaks its catalog schema: a programming error. */
export class InvalidEventError extends PushlineError {
  readonly code = 'invalid_event';
  constructor(
    readonly eventType: string,
    readonly issues: string,
  ) {
    super(`event ${eventType} does not match its catalog schema: ${issues}`);
  }
}

/** A per-user or per-client limit was reached (devices, rate); the client may retry later. */
export class LimitExceededError extends PushlineError {
  readonly code = 'limit_exceeded';
  constructor(
    readonly limit: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request clashes with stored state: an entity's current state forbids it (e.g. reading an expired
 * notification; `current` is that state, so the client can reconcile without another request), an email
 * taken, an idempotency key reused with another body (`field` names the input).
 */
export class ConflictError extends PushlineError {
  readonly code: string;
  readonly field?: string;
  readonly current?: Readonly<Record<string, unknown>>;
  constructor(message: string, details: { readonly code?: string; readonly field?: string; readonly current?: Readonly<Record<string, unknown>> } = {}) {
    super(message);
    this.code = details.code ?? 'conflict';
    if (details.field !== undefined) this.field = details.field;
    if (details.current !== undefined) this.current = details.current;
  }
}
