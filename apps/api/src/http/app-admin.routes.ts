import type { ApiKeySummary, IssueApiKey, ListApiKeys, RegisterApp, RevokeApiKey } from '@pushline/application';
import type { App, AppRepository } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppId, CreateAppBody, CreateKeyBody } from './app-schemas.js';
import { parseInput } from './errors.js';
import { PageQuery, ResourceId } from './tenant-admin.routes.js';

export function toAppJson(app: App) {
  return { id: app.id, tenantId: app.tenantId, name: app.name, slug: app.slug, createdAt: app.createdAt.toISOString() };
}

/** Never the key nor its hash: those are not in an `ApiKeySummary` to begin with. */
export function toApiKeyJson(key: ApiKeySummary) {
  return {
    id: key.id,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

export const ApiKeyListQuery = PageQuery.extend({ tenantId: ResourceId.optional() });

export interface AppAdminRoutesDeps {
  readonly requireAdmin: RequestHandler;
  readonly registerApp: RegisterApp;
  readonly apps: AppRepository;
  readonly issueApiKey: IssueApiKey;
  readonly revokeApiKey: RevokeApiKey;
  readonly listApiKeys: ListApiKeys;
}

/** The operator registers apps in tenants and manages their API keys. */
export function appAdminRoutes(deps: AppAdminRoutesDeps): Router {
  const router = Router();
  router.use(['/admin/tenants/:tenantId/apps', '/admin/apps'], deps.requireAdmin);

  router.post('/admin/tenants/:tenantId/apps', async (req, res) => {
    const { tenantId } = parseInput(z.object({ tenantId: ResourceId }), req.params);
    const app = await deps.registerApp.execute({ tenantId, ...parseInput(CreateAppBody, req.body) });
    res.status(201).json(toAppJson(app));
  });

  router.get('/admin/tenants/:tenantId/apps', async (req, res) => {
    const { tenantId } = parseInput(z.object({ tenantId: ResourceId }), req.params);
    const { limit, cursor } = parseInput(PageQuery, req.query);
    const page = await deps.apps.listByTenant(tenantId, { limit, ...(cursor && { after: cursor }) });
    res.json({ items: page.items.map(toAppJson), nextCursor: page.nextCursor });
  });

  router.post('/admin/apps/:appId/keys', async (req, res) => {
    const { appId } = parseInput(z.object({ appId: AppId }), req.params);
    const { scopes } = parseInput(CreateKeyBody, req.body);
    const issued = await deps.issueApiKey.execute({ appId, scopes });
    // The only answer that ever carries the key.
    res.status(201).json({ id: issued.id, key: issued.key, prefix: issued.prefix, scopes: issued.scopes });
  });

  router.get('/admin/apps/:appId/keys', async (req, res) => {
    const { appId } = parseInput(z.object({ appId: AppId }), req.params);
    const { limit, cursor, tenantId } = parseInput(ApiKeyListQuery, req.query);
    const page = await deps.listApiKeys.execute({ appId, limit, ...(cursor && { after: cursor }), ...(tenantId && { tenantId }) });
    res.json({ items: page.items.map(toApiKeyJson), nextCursor: page.nextCursor });
  });

  router.delete('/admin/apps/:appId/keys/:keyId', async (req, res) => {
    const { appId, keyId } = parseInput(z.object({ appId: AppId, keyId: ResourceId }), req.params);
    await deps.revokeApiKey.execute({ appId, keyId });
    res.status(204).end();
  });

  return router;
}
