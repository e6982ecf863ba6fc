import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppAuthorization, AppAuthorizer } from '@pushline/domain';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * The operator's `ADMIN_TOKEN` may act for every app with every scope (the fallback of
 * `ApiKeyAppAuthorizer` for credentials that are no API key). Without an admin token nobody can.
 */
export class AdminTokenAppAuthorizer implements AppAuthorizer {
  constructor(private readonly adminToken: string | undefined) {}

  async authorize(credential: string | undefined, appId: string): Promise<AppAuthorization> {
    if (!this.adminToken || !credential) return { ok: false, reason: 'unauthenticated' };
    return timingSafeEqual(digest(credential), digest(this.adminToken)) ? { ok: true, appId } : { ok: false, reason: 'unauthenticated' };
  }
}
