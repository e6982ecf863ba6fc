import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@pushline/persistence-prisma/testing';
import { ApiProcess } from '../support/api-process.js';
import { logIn, request } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { copySources, REPO_ROOT } from './source-copy.js';

const run = promisify(execFile);

/** The two generators as a developer runs them (`npm run new-event`, `npm run new-use-case`), inside the copy. */
function generator(root: string, cli: 'new-event' | 'new-use-case', args: string[]) {
  const loader = join(root, 'packages/devtools/src/register-ts.mjs');
  return run(process.execPath, ['--conditions=@pushline/source', '--no-warnings', `--import=${loader}`, join(root, `packages/devtools/src/${cli}.cli.ts`), ...args], {
    cwd: root,
  });
}

// The whole path of docs/adding-an-event.md on a copy of the sources: an event with fields, a use case
// that emits it and its route, untouched by hand; the result compiles and a device receives the event.
describe('npm run new-event + npm run new-use-case, end to end', () => {
  let copy: Awaited<ReturnType<typeof copySources>>;
  let database: TestDatabase;
  let api: ApiProcess | undefined;

  beforeAll(async () => {
    [copy, database] = await Promise.all([copySources(), createTestDatabase('postgres')]);
    await database.dispose({ keep: true });
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
    await copy?.remove();
  });

  it('generates order.shipped and ShipOrder; the copy type-checks and a device receives the event', async () => {
    await generator(copy.root, 'new-event', [
      'order.shipped',
      '--field',
      'orderId:string',
      '--field',
      'trackingUrl:url?',
      '--description',
      'An order left the warehouse; devices show its tracking link.',
    ]);
    const useCase = await generator(copy.root, 'new-use-case', ['ShipOrder', '--emits', 'order.shipped', '--route', 'POST /orders/:orderId/ship']);
    expect(useCase.stdout).toContain('apps/api/src/features/orders.feature.ts');

    const read = (file: string) => readFile(join(copy.root, file), 'utf8');
    expect(await read('apps/api/src/features/index.ts')).toContain("export { ordersFeature } from './orders.feature.js';");
    expect(await read('packages/domain/src/order/order-shipped.event.ts')).toContain('trackingUrl: z.url().optional(),');
    expect(await read('docs/client-types.d.ts')).toContain('order.shipped');
    expect(await read('docs/events.md')).toContain('| `order.shipped` | 1 | must-deliver | An order left the warehouse; devices show its tracking link. |');
    // Imports stay ordered: packages first, then relative paths.
    expect(await read('packages/domain/src/events/event-catalog.ts')).toMatch(
      /notification-unread-count\.event\.js';\nimport \{ orderShipped \} from '\.\.\/order\/order-shipped\.event\.js';\nimport \{ presenceTyping \}/,
    );

    const tsc = await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(copy.root, 'tsconfig.json')]).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(tsc.stdout).toBe('');

    api = await ApiProcess.start({ databaseUrl: database.url!, root: copy.root });
    const alice = await logIn(api.url, 'alice@example.com', 'alice-demo-password');
    // This repository's catalog has no order.shipped: tell the client to listen for it.
    const phone = new StreamClient(`${api.url}/api/v1/stream`, { bearer: alice.token }, ['order.shipped']);
    try {
      await phone.waitForOpen();
      const body = { trackingUrl: 'https://example.com/track/42' };
      const shipped = await request<{ eventId: string }>(api.url, 'POST', '/api/v1/orders/order-42/ship', { bearer: alice.token, body });
      expect(shipped.status).toBe(201);
      await phone.waitUntil(() => phone.ofType('order.shipped').length === 1, 'order.shipped on the phone');
      expect(phone.ofType('order.shipped')[0]!.data).toMatchObject({
        id: shipped.body.eventId,
        subject: 'order-42',
        data: { orderId: 'order-42', userId: alice.userId, trackingUrl: 'https://example.com/track/42' },
      });
      const bad = await request<{ error: { field: string } }>(api.url, 'POST', '/api/v1/orders/order-42/ship', { bearer: alice.token, body: { trackingUrl: 'not a url' } });
      expect(bad).toMatchObject({ status: 400, body: { error: { field: 'trackingUrl' } } });
    } finally {
      phone.close();
    }
    // tsc and a child process on a busy 2-core machine: a bound on failure, not a timing.
  }, 240_000);

  it('refuses a route parameter that is not a payload field, writing nothing', async () => {
    await expect(generator(copy.root, 'new-use-case', ['CancelOrder', '--emits', 'order.shipped', '--route', 'POST /orders/:orderRef/cancel'])).rejects.toMatchObject({
      stderr: expect.stringContaining(':orderRef must be a required field'),
    });
    await expect(readFile(join(copy.root, 'packages/application/src/orders/cancel-order.use-case.ts'))).rejects.toThrow();
  });
});
