import {
  AuthenticationError,
  TenantDisabledError,
  ForbiddenError,
  NotFoundError,
  type ApiKeyGenerator,
  type ApiKeyRepository,
  type AppKeyCheckReader,
  type AppPrincipal,
  type AppRepository,
  type AppScope,
  type Clock,
  type TenantRepository,
} from '@pushline/domain';

/**
 * Turns `Authorization: Bearer <key>` on `/apps/:appId/...` into the calling app. An unknown or revoked
 * key is a 401; a valid key of another app is a 404 for `appId` (its existence is not revealed); a
 * valid key of an app whose tenant the operator disabled is a 403 `tenant_disabled`. The key, its app
 * and the tenant are one `AppKeyCheckReader` read: one query where the adapter has one (decision 60),
 * else the three ports one after the other.
 */
export class AuthenticateApp {
  private readonly check: AppKeyCheckReader;

  constructor(
    private readonly keys: ApiKeyRepository,
    apps: AppRepository,
    private readonly generator: ApiKeyGenerator,
    private readonly clock: Clock,
    tenants: TenantRepository,
    check?: AppKeyCheckReader,
  ) {
    this.check = check ?? appKeyCheckOf(keys, apps, tenants);
  }

  async execute(key: string | undefined, appId: string): Promise<AppPrincipal> {
    const parsed = key ? this.generator.parse(key) : null;
    const found = parsed && (await this.check.read(parsed.prefix));
    const stored = found?.key;
    if (!parsed || !stored || stored.keyHash !== parsed.hash || stored.revokedAt) throw new AuthenticationError('the API key is not valid');
    const app = stored.appId === appId ? found.app : null;
    if (!app) throw new NotFoundError('app', appId);
    if (found.tenant?.disabledAt) throw new TenantDisabledError();
    await this.keys.touch(stored.id, this.clock.now());
    return { appId: app.id, tenantId: app.tenantId, slug: app.slug, keyId: stored.id, scopes: stored.scopes };
  }
}

/** An `AppKeyCheckReader` made of the three ports, read in turn (each needs the one before). */
export function appKeyCheckOf(keys: Pick<ApiKeyRepository, 'findByPrefix'>, apps: Pick<AppRepository, 'findById'>, tenants: Pick<TenantRepository, 'findById'>): AppKeyCheckReader {
  return {
    read: async (prefix) => {
      const key = await keys.findByPrefix(prefix);
      const app = key ? await apps.findById(key.appId) : null;
      const tenant = app ? await tenants.findById(app.tenantId) : null;
      return { key, app, tenant };
    },
  };
}

/** 403 `insufficient_scope` unless the key has `scope`. */
export function requireScope(principal: AppPrincipal, scope: AppScope): void {
  if (!principal.scopes.includes(scope)) throw new ForbiddenError(`this API key lacks the ${scope} scope`, 'insufficient_scope');
}
