/**
 * One login: every token issued to it, by login and by refresh, carries its id. It ends at
 * `expiresAt` (absolute, never extended), at `idleExpiresAt` when no token was issued for that long,
 * or when it is revoked (logout).
 */
export interface LoginSession {
  readonly id: string;
  /** The user's tenant at login: the session is found only through it (issue #10). */
  readonly tenantId: string;
  readonly userId: string;
  readonly createdAt: Date;
  /** Absolute end, fixed at login. */
  readonly expiresAt: Date;
  /** Moves forward with every refresh, never past `expiresAt`. */
  readonly idleExpiresAt: Date;
  readonly revokedAt: Date | null;
}

export interface SessionLifetimes {
  /** Absolute lifetime in seconds, from login (e.g. 30 days). */
  readonly absoluteSeconds: number;
  /** Longest time without a login or refresh, in seconds. */
  readonly idleSeconds: number;
}

export type SessionEnd = 'revoked' | 'expired' | 'idle';

/** Why `session` no longer admits tokens at `now`, or null when it is active. */
export function sessionEndAt(session: LoginSession, now: Date): SessionEnd | null {
  if (session.revokedAt !== null) return 'revoked';
  if (now >= session.expiresAt) return 'expired';
  if (now >= session.idleExpiresAt) return 'idle';
  return null;
}

/** The idle end a login or refresh at `now` gives, capped at the absolute end. */
export function nextIdleEnd(session: Pick<LoginSession, 'expiresAt'>, now: Date, lifetimes: SessionLifetimes): Date {
  return new Date(Math.min(now.getTime() + lifetimes.idleSeconds * 1000, session.expiresAt.getTime()));
}

/**
 * Login sessions, shared by every API instance. A session's row outlives its revocation until its
 * absolute end, so a revoked session can never come back on any instance.
 */
export interface SessionStore {
  /** Stores the session; fails when its user is not of `session.tenantId`. */
  create(session: LoginSession): Promise<void>;
  /** The session, or null when it never existed, is of another tenant, or its user is gone. */
  find(ref: SessionRef): Promise<LoginSession | null>;
  /** Moves the idle end of an unrevoked session; false when there is no such session in the tenant. */
  extendIdle(ref: SessionRef, idleExpiresAt: Date): Promise<boolean>;
  /** Revokes the session; revoking twice keeps the first time; another tenant's session is left alone. */
  revoke(ref: SessionRef, at: Date): Promise<void>;
}

/** A session as a request names it: its id and the tenant of the token that carries it. */
export interface SessionRef {
  readonly tenantId: string;
  readonly sessionId: string;
}
