/** What a stream's token asks for at a given moment. */
export type TokenDue = 'valid' | 'reauth' | 'expired';

/**
 * The clock of one stream's token: once it is within `reauthLeadMs` of expiring, the client is asked
 * to renew it (`stream.reauth`, once per stream); at expiry the stream ends (`token_expired`).
 */
export class TokenExpiry {
  private reauthSent = false;

  constructor(private readonly expiresAt: Date) {}

  /** Says what is due at `now` (ms since the epoch); `reauth` is answered once, then `valid` until expiry. */
  dueAt(now: number, reauthLeadMs: number): TokenDue {
    const expiresAt = this.expiresAt.getTime();
    if (now >= expiresAt) return 'expired';
    if (this.reauthSent || expiresAt - now > reauthLeadMs) return 'valid';
    this.reauthSent = true;
    return 'reauth';
  }
}
