import { NotFoundError, type AppInstallationRepository, type AppRepository } from '@pushline/domain';
import type { AppInstallationInput } from './install-app.use-case.js';

/** The user withdraws an app (`DELETE /me/apps/:appId`); it can no longer reach them. */
export class UninstallApp {
  constructor(
    private readonly apps: AppRepository,
    private readonly installations: AppInstallationRepository,
  ) {}

  async execute(input: AppInstallationInput): Promise<void> {
    const app = await this.apps.findById(input.appId);
    if (!app || app.tenantId !== input.tenantId) throw new NotFoundError('app', input.appId);
    if (!(await this.installations.uninstall(input.appId, input.userId))) throw new NotFoundError('installation', input.appId);
  }
}
