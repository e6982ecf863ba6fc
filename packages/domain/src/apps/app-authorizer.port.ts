/** Scopes an app's API key can carry (issue #10 issues the keys). */
export const APP_SCOPES = ['events:publish', 'notifications:write', 'events:read', 'webhooks:manage'] as const;
export type AppScope = (typeof APP_SCOPES)[number];

export type AppAuthorization =
  | { readonly ok: true; readonly appId: string }
  /** unauthenticated: no or an unknown/revoked credential (401); forbidden: missing scope (403); not_found: another app (404). */
  | { readonly ok: false; readonly reason: 'unauthenticated' | 'forbidden' | 'not_found' };

/**
 * Whether a bearer credential may act for app `appId` with `scope`. API keys (issue #10) implement it;
 * until then the operator's admin token stands in.
 */
export interface AppAuthorizer {
  authorize(credential: string | undefined, appId: string, scope: AppScope): Promise<AppAuthorization>;
}
