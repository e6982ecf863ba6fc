import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppAuthorization, AppAuthorizer } from '@pushline/domain';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * The operator's `ADMIN_TOKEN` may act for every app with every scope (the fallback of
 * `ApiKeyAppAuthorizer` for credentials that are no API key). Without an admin token nobody can.
 * The app is looked up for its tenant, which scopes what the request reaches; an unknown app is a 404.
 */
export class AdminTokenAppAuthorizer implements AppAuthorizer {
  constructor(
    private readonly adminToken: string | undefined,
    private readonly apps: { findById(id: string): Promise<{ readonly tenantId: string } | null> },
  ) {}

  async authorize(credential: string | undefined, appId: string): Promise<AppAuthorization> {
    if (!this.adminToken || !credential) return { ok: false, reason: 'unauthenticated' };
    if (!timingSafeEqual(digest(credential), digest(this.adminToken))) return { ok: false, reason: 'unauthenticated' };
    const app = await this.apps.findById(appId);
    return app ? { ok: true, appId, tenantId: app.tenantId } : { ok: false, reason: 'not_found' };
  }
}
