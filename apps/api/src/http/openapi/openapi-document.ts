import { extendZodWithOpenApi, OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { documentedRoutes, type RouteAuth } from './openapi-routes.js';

// Gives zod schemas the `.openapi()` the registry uses to name components; idempotent.
extendZodWithOpenApi(z);

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });

const SECURITY: Record<RouteAuth, RouteConfig['security']> = {
  user: [{ bearer: [] }, { sessionCookie: [] }],
  app: [{ apiKey: [] }],
  admin: [{ adminToken: [] }],
  none: [],
};

const ERRORS: Record<RouteAuth, number[]> = {
  user: [400, 401, 404, 429],
  app: [400, 401, 403, 404, 409, 429],
  admin: [400, 401, 404, 409],
  none: [400, 401, 409, 429],
};

/** The OpenAPI 3.1 document of every REST route, generated from the zod schemas that validate them. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Pushline access token or one of the external issuer (docs/identity.md)' });
  registry.registerComponent('securitySchemes', 'sessionCookie', { type: 'apiKey', in: 'cookie', name: 'pushline_session' });
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: "An app's API key, plk_… (docs/apps.md)" });
  registry.registerComponent('securitySchemes', 'adminToken', { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' });
  const error = registry.register('Error', ErrorBody);

  for (const route of documentedRoutes) {
    const { success } = route;
    const responses: RouteConfig['responses'] = {
      [success.status]: {
        description: success.description,
        ...((success.schema || success.contentType) && { content: { [success.contentType ?? 'application/json']: { schema: success.schema ?? z.string() } } }),
      },
    };
    for (const status of ERRORS[route.auth]) responses[status] = { description: 'Error', content: { 'application/json': { schema: error } } };
    registry.registerPath({
      method: route.method,
      path: route.path,
      tags: [route.tag],
      summary: route.summary,
      security: SECURITY[route.auth],
      request: {
        ...(route.params && { params: route.params }),
        ...(route.query && { query: route.query as z.ZodObject }),
        ...(route.headers && { headers: route.headers }),
        ...(route.body && { body: { required: true, content: { 'application/json': { schema: route.body } } } }),
      },
      responses,
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Pushline API', version, description: 'REST routes of Pushline. The event stream itself is described by the AsyncAPI document at /api/docs/events.' },
    servers: [{ url: '/' }],
  }) as unknown as Record<string, unknown>;
}
