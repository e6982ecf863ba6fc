import type { AuthenticateApp } from '@pushline/application';
import { AuthenticationError, NotFoundError, type AppAuthorization, type AppAuthorizer, type AppScope } from '@pushline/domain';

/**
 * The webhooks API's app credential: an app's API key (issue #10) with the route's scope; a key of
 * another app is `not_found`. A credential that is no API key falls back to `fallback` (the
 * operator's `ADMIN_TOKEN`, which may act for every app).
 */
export class ApiKeyAppAuthorizer implements AppAuthorizer {
  constructor(
    private readonly authenticateApp: AuthenticateApp,
    private readonly fallback: AppAuthorizer,
  ) {}

  async authorize(credential: string | undefined, appId: string, scope: AppScope): Promise<AppAuthorization> {
    try {
      const principal = await this.authenticateApp.execute(credential, appId);
      return principal.scopes.includes(scope) ? { ok: true, appId: principal.appId, tenantId: principal.tenantId } : { ok: false, reason: 'forbidden' };
    } catch (error) {
      if (error instanceof NotFoundError) return { ok: false, reason: 'not_found' };
      if (error instanceof AuthenticationError) return this.fallback.authorize(credential, appId, scope);
      throw error;
    }
  }
}
