import { NotFoundError, type ApiKeyRepository, type Clock } from '@pushline/domain';

/** Revokes an app's key (operator API): from the next request on it gets 401. */
export class RevokeApiKey {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly appId: string; readonly keyId: string }): Promise<void> {
    if (!(await this.keys.revoke(input.appId, input.keyId, this.clock.now()))) throw new NotFoundError('api key', input.keyId);
  }
}
