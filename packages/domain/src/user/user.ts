export interface User {
  readonly id: string;
  /** Stored lowercased; unique. */
  readonly email: string;
  readonly passwordHash: string;
  readonly createdAt: Date;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
