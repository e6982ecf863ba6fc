export interface User {
  readonly id: string;
  /** The tenant the user belongs to; a user never sees anything of another tenant. */
  readonly tenantId: string;
  /** Stored lowercased; unique across the platform. */
  readonly email: string;
  /** Null for a user who cannot log in here (no password given, or provisioned by an external issuer). */
  readonly passwordHash: string | null;
  /** The external issuer's user claim, for users provisioned from its tokens; null otherwise. */
  readonly externalId: string | null;
  /** Set while an operator has disabled the user: no login, no token accepted, no stream. */
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email);
}
