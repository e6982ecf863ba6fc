import { NotFoundError, type ApiKey, type ApiKeyRepository, type AppRepository, type Page } from '@pushline/domain';

/** What an operator may see of a key: never the key nor its hash. */
export type ApiKeySummary = Pick<ApiKey, 'id' | 'prefix' | 'scopes' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>;

/**
 * An app's API keys for the operator (`GET /api/v1/admin/apps/:appId/keys`), revoked ones included,
 * oldest first. With `tenantId` (a console scoped to one tenant), an app of another tenant is a 404,
 * the same answer as an unknown app.
 */
export class ListApiKeys {
  constructor(
    private readonly apps: AppRepository,
    private readonly keys: ApiKeyRepository,
  ) {}

  async execute(input: { readonly appId: string; readonly tenantId?: string; readonly limit: number; readonly after?: string }): Promise<Page<ApiKeySummary>> {
    const app = await this.apps.findById(input.appId);
    if (!app || (input.tenantId !== undefined && app.tenantId !== input.tenantId)) throw new NotFoundError('app', input.appId);
    const page = await this.keys.listByApp(app.tenantId, app.id, { limit: input.limit, ...(input.after && { after: input.after }) });
    return {
      items: page.items.map((k) => ({ id: k.id, prefix: k.prefix, scopes: k.scopes, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt })),
      nextCursor: page.nextCursor,
    };
  }
}
