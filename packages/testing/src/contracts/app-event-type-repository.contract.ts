import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { AppEventType, AppEventTypeRepository } from '@pushline/domain';

export interface AppEventTypeRepositoryUnderTest {
  readonly types: AppEventTypeRepository;
  teardown?(): Promise<void>;
}

/** The behaviour every AppEventTypeRepository adapter must show; fresh app ids per test. */
export function describeAppEventTypeRepositoryContract(name: string, setup: () => AppEventTypeRepositoryUnderTest | Promise<AppEventTypeRepositoryUnderTest>): void {
  describe(`${name} (AppEventTypeRepository contract)`, () => {
    let subject: AppEventTypeRepositoryUnderTest;
    const declared = (appId: string, type: string, version: number, schema: Record<string, unknown> = { type: 'object' }): AppEventType => ({
      tenantId: 'tenant-of-the-app',
      appId,
      type,
      version,
      schema,
      createdAt: new Date('2026-05-01T09:00:00.321Z'),
    });

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it('stores a version once: declaring it again changes nothing', async () => {
      const appId = randomUUID();
      const v1 = declared(appId, 'buddy.task', 1, { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] });
      await expect(subject.types.create(v1)).resolves.toBe(true);
      await expect(subject.types.create({ ...v1, schema: { type: 'string' } })).resolves.toBe(false);
      await expect(subject.types.find(appId, 'buddy.task', 1)).resolves.toEqual(v1);
    });

    it('finds the newest version unless one is named, and nothing for unknown types or versions', async () => {
      const appId = randomUUID();
      for (const version of [2, 1, 3]) await subject.types.create(declared(appId, 'buddy.task', version));

      await expect(subject.types.find(appId, 'buddy.task')).resolves.toMatchObject({ version: 3 });
      await expect(subject.types.find(appId, 'buddy.task', 2)).resolves.toMatchObject({ version: 2 });
      await expect(subject.types.find(appId, 'buddy.task', 4)).resolves.toBeNull();
      await expect(subject.types.find(appId, 'buddy.other')).resolves.toBeNull();
    });

    it("lists an app's types by name then version, never another app's", async () => {
      const [appId, otherApp] = [randomUUID(), randomUUID()];
      await subject.types.create(declared(appId, 'buddy.beta', 1));
      await subject.types.create(declared(appId, 'buddy.alpha', 2));
      await subject.types.create(declared(appId, 'buddy.alpha', 1));
      await subject.types.create(declared(otherApp, 'buddy.alpha', 1));

      const listed = await subject.types.listByApp(appId);
      expect(listed.map((t) => [t.type, t.version])).toEqual([
        ['buddy.alpha', 1],
        ['buddy.alpha', 2],
        ['buddy.beta', 1],
      ]);
      await expect(subject.types.listByApp(randomUUID())).resolves.toEqual([]);
      await expect(subject.types.find(otherApp, 'buddy.beta')).resolves.toBeNull();
    });
  });
}
