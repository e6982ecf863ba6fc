import type { EventNames } from './event-name.js';
import { sampleValueOf, wrongValueOf, type PayloadField } from './payload-fields.js';

/** Everything the templates need, derived once from the command line and the event's declaration. */
export interface UseCaseNames {
  /** `ShipOrder` */
  readonly className: string;
  /** `shipOrder` */
  readonly varName: string;
  /** `ship-order` */
  readonly fileBase: string;
  /** `orders`: folder under packages/application/src and feature file name. */
  readonly area: string;
  /** `ordersFeature` */
  readonly featureConst: string;
  readonly event: EventNames;
  readonly fields: readonly PayloadField[];
  readonly method: 'post' | 'put' | 'patch' | 'delete';
  /** `/orders/:orderId/ship`, relative to /api/v1. */
  readonly path: string;
  /** Path parameters, each also a payload field. */
  readonly params: readonly string[];
}

// Interpolated so the dependency rule, which reads import lines as text, does not take this template's
// line for an import of the tooling package itself.
const TESTING_PACKAGE = '@pushline/testing';

const js = (value: unknown) => JSON.stringify(value).replaceAll('"', "'");

function subjectOf(n: UseCaseNames): string {
  return n.params[0] ? `input.${n.params[0]}` : 'input.userId';
}

export function useCaseSource(n: UseCaseNames): string {
  return `import type { EventFactory, EventPayload, RequestContext, UnitOfWork } from '@pushline/domain';
import { ${n.event.constName} } from '@pushline/domain';

/** What \`${n.className}\` needs: the payload of \`${n.event.type}\`. */
export type ${n.className}Input = EventPayload<typeof ${n.event.constName}>;

/** Emits \`${n.event.type}\` to every device of \`input.userId\`, in one transaction with any state it changes. */
export class ${n.className} {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly events: EventFactory,
  ) {}

  async execute(input: ${n.className}Input, context: RequestContext = {}): Promise<{ readonly eventId: string }> {
    // Validated here: a payload that breaks the schema fails the use case and is never stored.
    const event = this.events.create(${n.event.constName}, ${subjectOf(n)}, input, context);
    await this.unitOfWork.run(async (tx) => {
      // Load, change and save state through \`tx\` here: it commits with the event or not at all.
      await tx.events.publish([event]);
    });
    return { eventId: event.id };
  }
}
`;
}

function sampleObject(fields: readonly PayloadField[], indent: string): string {
  return fields.map((f) => `${indent}${f.name}: ${js(sampleValueOf(f))},`).join('\n');
}

export function useCaseTestSource(n: UseCaseNames): string {
  return `import { describe, expect, it } from '@jest/globals';
import { EventFactory, InvalidEventError } from '@pushline/domain';
import { FixedClock, InMemoryUnitOfWork, SequentialIdGenerator } from '${TESTING_PACKAGE}';
import { ${n.className}, type ${n.className}Input } from './${n.fileBase}.use-case.js';

const input: ${n.className}Input = {
${sampleObject(n.fields, '  ')}
};

function setUp() {
  const unitOfWork = new InMemoryUnitOfWork();
  const events = new EventFactory(new SequentialIdGenerator('evt'), new FixedClock(), '/pushline/test');
  return { unitOfWork, useCase: new ${n.className}(unitOfWork, events) };
}

describe('${n.className}', () => {
  it('commits ${n.event.type} for the user, carrying the request context', async () => {
    const { unitOfWork, useCase } = setUp();

    const result = await useCase.execute(input, { correlationId: 'req-1', deviceId: 'phone' });

    expect(unitOfWork.committedEvents).toHaveLength(1);
    const [event] = unitOfWork.committedEvents;
    expect(event).toMatchObject({ id: result.eventId, type: '${n.event.type}', correlationid: 'req-1', deviceid: 'phone' });
    expect(event!.data).toEqual(input);
  });

  it('commits nothing when the payload breaks the schema', async () => {
    const { unitOfWork, useCase } = setUp();

    await expect(useCase.execute({ ...input, userId: '' })).rejects.toThrow(InvalidEventError);
    expect(unitOfWork.committedEvents).toHaveLength(0);
  });
});
`;
}

export function routeSource(n: UseCaseNames): string {
  const omitted = ['userId', ...n.params].map((p) => `${p}: true`).join(', ');
  const params = n.params.length > 0 ? n.params.map((p) => `${p}: true`).join(', ') : undefined;
  const status = n.method === 'post' ? 201 : 200;
  return `import type { ${n.className} } from '@pushline/application';
import { ${n.event.constName} } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';
import { requestContextOf } from './request-context.js';

// The request is the event's payload less what the session (userId) and the path say; unknown fields are refused.
const Body = ${n.event.constName}.schema.omit({ ${omitted} }).strict();
${params ? `const Params = ${n.event.constName}.schema.pick({ ${params} });\n` : ''}
/** \`${n.method.toUpperCase()} /api/v1${n.path}\` → ${status} \`{eventId}\`: every device of the user receives \`${n.event.type}\`. */
export function ${n.varName}Route(${n.varName}: ${n.className}, requireAuth: RequestHandler): Router {
  const router = Router();
  router.${n.method}('${n.path}', requireAuth, async (req, res) => {
${params ? '    const params = parseInput(Params, req.params);\n' : ''}    const body = parseInput(Body, req.body ?? {});
    const result = await ${n.varName}.execute({ ...body${params ? ', ...params' : ''}, userId: claimsOf(req).userId }, requestContextOf(req));
    res.status(${status}).json(result);
  });
  return router;
}
`;
}

export function e2eTestSource(n: UseCaseNames): string {
  const bodyFields = n.fields.filter((f) => f.name !== 'userId' && !n.params.includes(f.name));
  const url = n.path.replace(/:([A-Za-z0-9]+)/g, (_, p: string) => String(sampleValueOf(n.fields.find((f) => f.name === p)!)));
  const broken = bodyFields.find((f) => !f.optional) ?? bodyFields[0];
  const badBody = broken ? `{ ...body, ${broken.name}: ${js(wrongValueOf(broken))} }` : `{ unexpected: true }`;
  const badField = broken ? broken.name : 'body';
  const status = n.method === 'post' ? 201 : 200;
  return `import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { logIn, request } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const body = {
${sampleObject(bodyFields, '  ')}
};

describe('${n.method.toUpperCase()} /api/v1${n.path} (${n.className})', () => {
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi();
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('delivers ${n.event.type} to the devices of the user who asked, and to no one else', async () => {
    const [alice, bob] = await Promise.all([
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password'),
    ]);
    const phone = new StreamClient(\`\${t.baseUrl}/api/v1/stream\`, { bearer: alice.token });
    const bobsTab = new StreamClient(\`\${t.baseUrl}/api/v1/stream\`, { cookie: bob.cookie });
    try {
      await Promise.all([phone.waitForOpen(), bobsTab.waitForOpen()]);

      const res = await request<{ eventId: string }>(t.baseUrl, '${n.method.toUpperCase()}', '/api/v1${url}', { bearer: alice.token, body });

      expect(res.status).toBe(${status});
      await phone.waitUntil(() => phone.ofType('${n.event.type}').length === 1, '${n.event.type} on the phone');
      expect(phone.ofType('${n.event.type}')[0]!.data).toMatchObject({ id: res.body.eventId, data: { ...body, userId: alice.userId } });
      expect(bobsTab.ofType('${n.event.type}')).toEqual([]);
    } finally {
      phone.close();
      bobsTab.close();
    }
  });

  it('answers 400 naming the field for a body that breaks the schema, and 401 without a session', async () => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const bad = await request<{ error: { field?: string } }>(t.baseUrl, '${n.method.toUpperCase()}', '/api/v1${url}', { bearer: alice.token, body: ${badBody} });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('${badField}');
    expect((await request(t.baseUrl, '${n.method.toUpperCase()}', '/api/v1${url}', { body })).status).toBe(401);
  });
});
`;
}

export function newFeatureSource(n: UseCaseNames): string {
  return `import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';

/** ${n.area}: its use cases and routes (\`npm run new-use-case -- … --feature ${n.area}\` adds to them). */
export const ${n.featureConst} = defineFeature({
  name: '${n.area}',
  register(r) {
    // new-use-case: bindings
  },
  routes(services, http) {
    const router = Router();
    // new-use-case: routes
    return router;
  },
});
`;
}
