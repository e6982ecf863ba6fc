import { APP_SCOPES, NotFoundError, ValidationError, type ApiKeyGenerator, type ApiKeyRepository, type AppRepository, type AppScope, type Clock, type IdGenerator } from '@pushline/domain';

export interface IssuedApiKey {
  readonly id: string;
  /** The key itself: returned here once, never stored, never shown again. */
  readonly key: string;
  readonly prefix: string;
  readonly scopes: readonly AppScope[];
}

/** Creates an API key of an app with the given scopes (operator API). */
export class IssueApiKey {
  constructor(
    private readonly apps: AppRepository,
    private readonly keys: ApiKeyRepository,
    private readonly generator: ApiKeyGenerator,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly appId: string; readonly scopes: readonly string[] }): Promise<IssuedApiKey> {
    const scopes = [...new Set(input.scopes)];
    const unknown = scopes.find((s) => !(APP_SCOPES as readonly string[]).includes(s));
    if (scopes.length === 0 || unknown !== undefined) {
      throw new ValidationError('scopes', `scopes must name at least one of ${APP_SCOPES.join(', ')}${unknown ? ` (not ${unknown})` : ''}`);
    }
    const app = await this.apps.findById(input.appId);
    if (!app) throw new NotFoundError('app', input.appId);
    const { key, prefix, hash } = this.generator.generate();
    const id = this.ids.next();
    const valid = scopes as AppScope[];
    await this.keys.save({ id, tenantId: app.tenantId, appId: app.id, prefix, keyHash: hash, scopes: valid, createdAt: this.clock.now(), lastUsedAt: null, revokedAt: null });
    return { id, key, prefix, scopes: valid };
  }
}
