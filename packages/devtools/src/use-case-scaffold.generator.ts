import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { eventNamesOf } from './event-name.js';
import { insertImportInOrder } from './event-scaffold.generator.js';
import type { PayloadField } from './payload-fields.js';
import { e2eTestSource, newFeatureSource, routeSource, useCaseSource, useCaseTestSource, type UseCaseNames } from './use-case-templates.js';

export interface UseCaseScaffoldRequest {
  /** PascalCase verb phrase: `ShipOrder`. */
  readonly name: string;
  /** The event type it emits, already in the catalog, with its payload fields (read from its schema). */
  readonly event: { readonly type: string; readonly fields: readonly PayloadField[] };
  /** `POST /orders/:orderId/ship`: method and path under /api/v1; path parameters must be payload fields. */
  readonly route: string;
  /** The feature (area) it belongs to; default: the event's area, plural (`order.shipped` → `orders`). */
  readonly feature?: string;
}

export interface UseCaseScaffoldResult {
  readonly names: UseCaseNames;
  readonly created: readonly string[];
  readonly changed: readonly string[];
}

const BINDINGS = '// new-use-case: bindings';
const ROUTES = '// new-use-case: routes';
const FEATURES_INDEX = 'apps/api/src/features/index.ts';
const APPLICATION_INDEX = 'packages/application/src/index.ts';

/**
 * Adds a use case that emits a catalog event, its route with request validation, both registered in the
 * area's feature module, a unit test against the fakes and an end-to-end test that a device receives the
 * event. Reads and checks everything first, so a refusal leaves the tree as it was.
 */
export async function scaffoldUseCase(root: string, request: UseCaseScaffoldRequest): Promise<UseCaseScaffoldResult> {
  const names = useCaseNamesOf(request);
  const files = {
    useCase: `packages/application/src/${names.area}/${names.fileBase}.use-case.ts`,
    useCaseTest: `packages/application/src/${names.area}/${names.fileBase}.use-case.test.ts`,
    route: `apps/api/src/http/${names.fileBase}.route.ts`,
    e2e: `apps/api/test/e2e/${names.fileBase}.e2e.test.ts`,
    feature: `apps/api/src/features/${names.area}.feature.ts`,
  };
  for (const file of [files.useCase, files.useCaseTest, files.route, files.e2e]) {
    if (existsSync(join(root, file))) throw new Error(`${file} already exists`);
  }
  const read = (file: string) => readFile(join(root, file), 'utf8');
  const featureExists = existsSync(join(root, files.feature));
  const feature = featureExists ? await read(files.feature) : newFeatureSource(names);
  if (!feature.includes(BINDINGS) || !feature.includes(ROUTES)) {
    throw new Error(`${files.feature} has lost its "${BINDINGS}" / "${ROUTES}" markers; put them back where lines belong`);
  }
  const [applicationIndex, featuresIndex] = await Promise.all([read(APPLICATION_INDEX), read(FEATURES_INDEX)]);

  await writeNew(root, files.useCase, useCaseSource(names));
  await writeNew(root, files.useCaseTest, useCaseTestSource(names));
  await writeNew(root, files.route, routeSource(names));
  await writeNew(root, files.e2e, e2eTestSource(names));
  await writeFile(join(root, files.feature), registerInFeature(feature, names));
  await writeFile(join(root, APPLICATION_INDEX), `${applicationIndex.trimEnd()}\nexport * from './${names.area}/${names.fileBase}.use-case.js';\n`);
  const changed = [APPLICATION_INDEX];
  const created = [files.useCase, files.useCaseTest, files.route, files.e2e];
  if (featureExists) changed.push(files.feature);
  else {
    created.push(files.feature);
    await writeFile(join(root, FEATURES_INDEX), `${featuresIndex.trimEnd()}\nexport { ${names.featureConst} } from './${names.area}.feature.js';\n`);
    changed.push(FEATURES_INDEX);
  }
  return { names, created, changed };
}

function useCaseNamesOf(request: UseCaseScaffoldRequest): UseCaseNames {
  if (!/^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$/.test(request.name)) {
    throw new Error(`"${request.name}" is not a use case name: use a PascalCase verb phrase like ShipOrder`);
  }
  const route = /^(POST|PUT|PATCH|DELETE) (\/[A-Za-z0-9_/:.-]*)$/.exec(request.route.trim());
  if (!route) throw new Error(`--route "${request.route}": write METHOD /path, e.g. 'POST /orders/:orderId/ship' (POST, PUT, PATCH or DELETE)`);
  const event = eventNamesOf(request.event.type);
  const path = route[2]!;
  const params = [...path.matchAll(/:([A-Za-z0-9]+)/g)].map((m) => m[1]!);
  for (const param of params) {
    if (!request.event.fields.some((f) => f.name === param && !f.optional)) {
      throw new Error(`--route parameter :${param} must be a required field of ${event.type}'s payload`);
    }
  }
  if (!request.event.fields.some((f) => f.name === 'userId')) {
    throw new Error(`${event.type} has no userId field: the generated route delivers to the caller's devices`);
  }
  const area = request.feature ?? `${event.area}s`;
  if (!/^[a-z][a-z0-9-]*$/.test(area)) throw new Error(`--feature "${area}" must be lowercase kebab-case`);
  const fileBase = request.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const camelArea = area.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return {
    className: request.name,
    varName: request.name.charAt(0).toLowerCase() + request.name.slice(1),
    fileBase,
    area,
    featureConst: `${camelArea}Feature`,
    event,
    fields: request.event.fields,
    method: route[1]!.toLowerCase() as UseCaseNames['method'],
    path,
    params,
  };
}

function registerInFeature(feature: string, n: UseCaseNames): string {
  let source = feature;
  const imports: [string, string][] = [
    [`import { ${n.className} } from '@pushline/application';\n`, n.className],
    [`import { EventFactory } from '@pushline/domain';\n`, 'EventFactory'],
    [`import { Ports } from '../composition/ports.js';\n`, 'Ports'],
    [`import { ${n.varName}Route } from '../http/${n.fileBase}.route.js';\n`, `${n.varName}Route`],
  ];
  for (const [line, name] of imports) {
    // One more name from a module already imported gets its own line; the compiler accepts both.
    if (!new RegExp(`import (type )?\\{[^}]*\\b${name}\\b[^}]*\\}`).test(source)) source = insertImportInOrder(source, line);
  }
  const binding = `r.provide(${n.className}, (c) => new ${n.className}(c.get(Ports.UnitOfWork), c.get(EventFactory)));`;
  const mount = `router.use(${n.varName}Route(services.get(${n.className}), http.requireAuth));`;
  return source.replace(BINDINGS, `${binding}\n    ${BINDINGS}`).replace(ROUTES, `${mount}\n    ${ROUTES}`);
}

async function writeNew(root: string, file: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, file)), { recursive: true });
  await writeFile(join(root, file), content, { flag: 'wx' });
}
