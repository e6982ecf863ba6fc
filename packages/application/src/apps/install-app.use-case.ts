import { NotFoundError, type AppInstallationRepository, type AppRepository, type Clock } from '@pushline/domain';

export interface AppInstallationInput {
  readonly tenantId: string;
  readonly userId: string;
  readonly appId: string;
}

/** A user lets an app of their tenant reach them (`PUT /me/apps/:appId`); an app of another tenant is a 404. */
export class InstallApp {
  constructor(
    private readonly apps: AppRepository,
    private readonly installations: AppInstallationRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: AppInstallationInput): Promise<void> {
    const app = await this.apps.findById(input.appId);
    if (!app || app.tenantId !== input.tenantId) throw new NotFoundError('app', input.appId);
    await this.installations.install({ ...input, createdAt: this.clock.now() });
  }
}
