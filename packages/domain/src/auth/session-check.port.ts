import type { Tenant } from '../tenant/tenant.js';
import type { User } from '../user/user.js';
import type { LoginSession, SessionRef } from './login-session.js';

/** What a token of Pushline's own is checked against on every request and stream open. */
export interface SessionCheckRows {
  /** As `SessionStore.find`: null when it never existed, is of another tenant, or its user is gone. */
  readonly session: LoginSession | null;
  /** As `UserRepository.findById` (of any tenant: the caller compares). */
  readonly user: User | null;
  /** As `TenantRepository.findById`, for the ref's tenant. */
  readonly tenant: Tenant | null;
}

/**
 * Reads a token's session, its user and its tenant together, each as of a moment after the read was
 * asked for (a logout, a disabled user or tenant committed on any instance is seen by the next one).
 */
export interface SessionCheckReader {
  read(ref: SessionRef, userId: string): Promise<SessionCheckRows>;
}
