import type { AppScope } from '../app/app.js';

export type AppAuthorization =
  /** `tenantId` is the app's: what the request may reach is filtered on it. */
  | { readonly ok: true; readonly appId: string; readonly tenantId: string }
  /** unauthenticated: no or an unknown/revoked credential (401); forbidden: missing scope (403); not_found: another app (404). */
  | { readonly ok: false; readonly reason: 'unauthenticated' | 'forbidden' | 'not_found' };

/**
 * Whether a bearer credential may act for app `appId` with `scope`: an API key of the app with the
 * scope, or the operator's admin token (for every existing app).
 */
export interface AppAuthorizer {
  authorize(credential: string | undefined, appId: string, scope: AppScope): Promise<AppAuthorization>;
}
