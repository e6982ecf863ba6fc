import {
  AuthenticationError,
  TenantDisabledError,
  ForbiddenError,
  NotFoundError,
  type ApiKeyGenerator,
  type ApiKeyRepository,
  type AppPrincipal,
  type AppRepository,
  type AppScope,
  type Clock,
  type TenantRepository,
} from '@pushline/domain';

/**
 * Turns `Authorization: Bearer <key>` on `/apps/:appId/...` into the calling app. An unknown or revoked
 * key is a 401; a valid key of another app is a 404 for `appId` (its existence is not revealed); a
 * valid key of an app whose tenant the operator disabled is a 403 `tenant_disabled`.
 */
export class AuthenticateApp {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly apps: AppRepository,
    private readonly generator: ApiKeyGenerator,
    private readonly clock: Clock,
    private readonly tenants: TenantRepository,
  ) {}

  async execute(key: string | undefined, appId: string): Promise<AppPrincipal> {
    const parsed = key ? this.generator.parse(key) : null;
    const stored = parsed && (await this.keys.findByPrefix(parsed.prefix));
    if (!parsed || !stored || stored.keyHash !== parsed.hash || stored.revokedAt) throw new AuthenticationError('the API key is not valid');
    const app = stored.appId === appId ? await this.apps.findById(appId) : null;
    if (!app) throw new NotFoundError('app', appId);
    if ((await this.tenants.findById(app.tenantId))?.disabledAt) throw new TenantDisabledError();
    await this.keys.touch(stored.id, this.clock.now());
    return { appId: app.id, tenantId: app.tenantId, slug: app.slug, keyId: stored.id, scopes: stored.scopes };
  }
}

/** 403 `insufficient_scope` unless the key has `scope`. */
export function requireScope(principal: AppPrincipal, scope: AppScope): void {
  if (!principal.scopes.includes(scope)) throw new ForbiddenError(`this API key lacks the ${scope} scope`, 'insufficient_scope');
}
