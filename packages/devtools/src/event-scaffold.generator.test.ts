import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import type * as Domain from '@pushline/domain';
import { DEFAULT_STREAM_HUB_OPTIONS, EventTypeFilter, StreamHub } from '@pushline/stream-engine';
import { FixedClock, InMemoryEventStore, InMemoryUnitOfWork, RecordingDeviceSink, SequentialIdGenerator } from '@pushline/testing';
import { scaffoldEventType } from './event-scaffold.generator.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

// The generator runs against a copy of the domain sources, never the real tree.
describe('npm run new-event (scaffoldEventType)', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'pushline-new-event-'));
    await cp(join(ROOT, 'packages/domain/src'), join(tmp, 'packages/domain/src'), {
      recursive: true,
      filter: (source) => !source.endsWith('.test.ts'),
    });
    await cp(join(ROOT, 'packages/domain/package.json'), join(tmp, 'packages/domain/package.json'));
    await cp(join(ROOT, 'docs/events.md'), join(tmp, 'docs/events.md'));
    await symlink(join(ROOT, 'node_modules'), join(tmp, 'node_modules'), 'dir');
  });

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('writes a declaration, a test, the catalog entry, the export and a docs row; filled in, it compiles and is delivered', async () => {
    const shipped = await scaffoldEventType(tmp, { type: 'parcel.shipped' });
    const tracking = await scaffoldEventType(tmp, { type: 'parcel.tracking_updated', policy: 'latest-wins' });

    expect(shipped.created).toEqual([
      'packages/domain/src/parcel/parcel-shipped.event.ts',
      'packages/domain/src/parcel/parcel-shipped.event.test.ts',
    ]);
    expect(tracking.names.constName).toBe('parcelTrackingUpdated');
    const catalog = await readFile(join(tmp, 'packages/domain/src/events/event-catalog.ts'), 'utf8');
    expect(catalog).toContain("import { parcelShipped } from '../parcel/parcel-shipped.event.js';");
    expect(catalog).toMatch(/presenceTyping,\n {2}parcelShipped,\n {2}parcelTrackingUpdated,\n\] as const;/);
    expect(await readFile(join(tmp, 'docs/events.md'), 'utf8')).toMatch(/\| `parcel.tracking_updated` \| 1 \| latest-wins \|.*\n<!-- event-catalog:end -->/);

    // What the author does next: fill in the schema, and the test's sample to match.
    const declaration = join(tmp, 'packages/domain/src/parcel/parcel-shipped.event.ts');
    await writeFile(
      declaration,
      (await readFile(declaration, 'utf8')).replace(
        'userId: z.string().min(1),\n});',
        "userId: z.string().min(1),\n  parcelId: z.string().min(1),\n  carrier: z.enum(['dhl', 'ups']),\n});",
      ),
    );
    const test = join(tmp, 'packages/domain/src/parcel/parcel-shipped.event.test.ts');
    await writeFile(test, (await readFile(test, 'utf8')).replace("userId: 'userId-1',\n", "userId: 'userId-1',\n  parcelId: 'p-1',\n  carrier: 'dhl',\n"));

    await compiles(tmp);

    const domain = (await import(pathToFileURL(join(tmp, 'packages/domain/src/index.ts')).href)) as typeof Domain & {
      parcelShipped: Domain.EventType;
    };
    const types = new domain.EventTypeRegistry(domain.eventCatalog);
    expect(types.find('parcel.shipped')?.delivery).toBe('must-deliver');
    expect(types.deliveryOf('parcel.tracking_updated')).toBe('latest-wins');

    const clock = new FixedClock();
    const factory = new domain.EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
    const event = factory.create(domain.parcelShipped, 'p-1', { userId: 'u1', parcelId: 'p-1', carrier: 'ups' });
    expect(() => factory.create(domain.parcelShipped, 'p-1', { userId: 'u1', parcelId: 'p-1', carrier: 'post' })).toThrow(
      domain.InvalidEventError,
    );

    const broker = new InMemoryStreamBroker();
    const store = new InMemoryEventStore(types);
    const unitOfWork = new InMemoryUnitOfWork(undefined, store, broker);
    const hub = new StreamHub(broker, store, clock, { ...DEFAULT_STREAM_HUB_OPTIONS, deliveryOf: (t) => types.deliveryOf(t) }, (e) => {
      throw e;
    });
    hub.start();
    try {
      const sink = new RecordingDeviceSink();
      const identity = { userId: 'u1', sessionId: 's1', expiresAt: new Date('2030-01-01T00:00:00Z') };
      await hub.open({ identity, resumeFrom: null, filter: EventTypeFilter.all, excludeOwn: false }, sink);
      await unitOfWork.run((tx) => tx.events.publish([event]));
      await sink.waitForEntries(1);
      expect(sink.entries).toEqual([{ userId: 'u1', cursor: 1, event }]);
      expect(sink.entries[0]!.event.data).toEqual({ userId: 'u1', parcelId: 'p-1', carrier: 'ups' });
    } finally {
      hub.shutdown();
    }
    // tsc on a busy 2-core machine: a bound on failure, not a timing.
  }, 120_000);

  it('refuses a bad name, an unknown policy and a type already in the catalog, writing nothing', async () => {
    await expect(scaffoldEventType(tmp, { type: 'Parcel-Shipped' })).rejects.toThrow('is not an event type name');
    await expect(scaffoldEventType(tmp, { type: 'parcel.lost', policy: 'sometimes' as never })).rejects.toThrow('--policy');
    await expect(scaffoldEventType(tmp, { type: 'notification.created' })).rejects.toThrow('already in the catalog');
    await expect(readFile(join(tmp, 'packages/domain/src/parcel/parcel-lost.event.ts'))).rejects.toThrow();
  });
});

/** Type-checks the copied domain, generated files and their tests included. */
async function compiles(root: string): Promise<void> {
  await writeFile(
    join(root, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true, types: ['node'] },
      include: ['packages/domain/src/**/*.ts'],
    }),
  );
  const result = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')]).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
  );
  expect(result.stdout).toBe('');
}
