import { APP_LIMITS, ConflictError, NotFoundError, ValidationError, type App, type AppRepository, type Clock, type IdGenerator, type TenantRepository } from '@pushline/domain';

/** Registers an app in a tenant (operator API). The slug namespaces its event types and is unique in the tenant. */
export class RegisterApp {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly apps: AppRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly tenantId: string; readonly name: string; readonly slug: string }): Promise<App> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > APP_LIMITS.nameMax) throw new ValidationError('name', `name must be 1 to ${APP_LIMITS.nameMax} characters`);
    if (!APP_LIMITS.slugPattern.test(input.slug)) {
      throw new ValidationError('slug', 'slug must be 2 to 40 lowercase letters and digits, starting with a letter');
    }
    if (!(await this.tenants.findById(input.tenantId))) throw new NotFoundError('tenant', input.tenantId);
    const app = { id: this.ids.next(), tenantId: input.tenantId, name, slug: input.slug, createdAt: this.clock.now() };
    if (!(await this.apps.create(app))) throw new ConflictError('the tenant already has an app with this slug', { code: 'slug_taken', field: 'slug' });
    return app;
  }
}
