import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { AppNotificationRule, AppNotificationRuleRepository, DomainEvent, EventAudienceLog } from '@pushline/domain';
import { EventMother } from '../mothers/event.mother.js';

export interface AppNotificationRulesUnderTest {
  readonly rules: AppNotificationRuleRepository;
  /** Records that the user installed the app, as the installations table does. */
  install(tenantId: string, appId: string, userId: string): Promise<void>;
  teardown?(): Promise<void>;
}

export interface EventAudienceUnderTest {
  readonly audience: EventAudienceLog;
  /** Appends events to their audiences' streams and commits them, as a unit of work would. */
  append(events: readonly DomainEvent[]): Promise<void>;
  teardown?(): Promise<void>;
}

/** Each test uses apps, users and events of its own, so adapters may share one database. */
export function describeAppNotificationRuleRepositoryContract(name: string, setup: () => AppNotificationRulesUnderTest | Promise<AppNotificationRulesUnderTest>): void {
  describe(`${name} (AppNotificationRuleRepository contract)`, () => {
    let subject: AppNotificationRulesUnderTest;
    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    const at = (s: number) => new Date(Date.UTC(2026, 5, 1, 0, 0, s));
    const ruleOf = (appId: string, eventType: string, over: Partial<AppNotificationRule> = {}): AppNotificationRule => ({
      tenantId: 't-contract',
      appId,
      eventType,
      category: `app.${appId.slice(0, 8)}`,
      title: 'Task {{title}}',
      body: '',
      priority: 'normal',
      createdAt: at(1),
      updatedAt: at(1),
      ...over,
    });

    it('stores a rule per (app, event type); a second upsert replaces it but keeps its creation time', async () => {
      const appId = `a${randomUUID()}`;
      await subject.rules.upsert(ruleOf(appId, 'x.task.assigned'));
      const replaced = await subject.rules.upsert(ruleOf(appId, 'x.task.assigned', { title: 'New {{title}}', priority: 'high', createdAt: at(5), updatedAt: at(5) }));

      expect(replaced).toEqual(ruleOf(appId, 'x.task.assigned', { title: 'New {{title}}', priority: 'high', createdAt: at(1), updatedAt: at(5) }));
      await expect(subject.rules.find(appId, 'x.task.assigned')).resolves.toEqual(replaced);
      await expect(subject.rules.find(appId, 'x.task.closed')).resolves.toBeNull();
      await expect(subject.rules.find(`a${randomUUID()}`, 'x.task.assigned')).resolves.toBeNull();
    });

    it('lists only the app\'s rules by event type, and removes one', async () => {
      const [appId, other] = [`a${randomUUID()}`, `a${randomUUID()}`];
      await subject.rules.upsert(ruleOf(appId, 'x.b'));
      await subject.rules.upsert(ruleOf(appId, 'x.a'));
      await subject.rules.upsert(ruleOf(other, 'x.a'));

      expect((await subject.rules.listByApp(appId)).map((r) => r.eventType)).toEqual(['x.a', 'x.b']);
      await expect(subject.rules.remove(appId, 'x.a')).resolves.toBe(true);
      await expect(subject.rules.remove(appId, 'x.a')).resolves.toBe(false);
      expect((await subject.rules.listByApp(appId)).map((r) => r.eventType)).toEqual(['x.b']);
      expect(await subject.rules.listByApp(other)).toHaveLength(1);
    });

    it('gives a user the categories of the apps they installed, in their tenant only', async () => {
      const [mine, notInstalled, otherTenant] = [`a${randomUUID()}`, `a${randomUUID()}`, `a${randomUUID()}`];
      const userId = `u${randomUUID()}`;
      await subject.rules.upsert(ruleOf(mine, 'x.a', { category: 'app.mine' }));
      await subject.rules.upsert(ruleOf(mine, 'x.b', { category: 'app.mine.tasks' }));
      await subject.rules.upsert(ruleOf(mine, 'x.c', { category: 'app.mine' }));
      await subject.rules.upsert(ruleOf(notInstalled, 'x.a', { category: 'app.notinstalled' }));
      await subject.rules.upsert(ruleOf(otherTenant, 'x.a', { category: 'app.other', tenantId: 't-other' }));
      await subject.install('t-contract', mine, userId);
      // An installation row of another tenant never joins a rule of this one.
      await subject.install('t-contract', otherTenant, userId);

      await expect(subject.rules.categoriesForUser(userId)).resolves.toEqual(['app.mine', 'app.mine.tasks']);
      await expect(subject.rules.categoriesForUser(`u${randomUUID()}`)).resolves.toEqual([]);
    });
  });
}

export function describeEventAudienceContract(name: string, setup: () => EventAudienceUnderTest | Promise<EventAudienceUnderTest>): void {
  describe(`${name} (EventAudienceLog contract)`, () => {
    let subject: EventAudienceUnderTest;
    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    it('pages through the users an event was written to, in user order, and nobody else', async () => {
      const id = randomUUID();
      const users = ['c', 'a', 'e', 'b', 'd'].map((s) => `${s}-${id}`);
      await subject.append(users.map((u) => ({ ...EventMother.read(u), id })));
      await subject.append([EventMother.read(`z-${id}`)]);

      const sorted = [...users].sort();
      await expect(subject.audience.recipientsOf(id, undefined, 2)).resolves.toEqual(sorted.slice(0, 2));
      await expect(subject.audience.recipientsOf(id, sorted[1], 2)).resolves.toEqual(sorted.slice(2, 4));
      await expect(subject.audience.recipientsOf(id, sorted[3], 2)).resolves.toEqual(sorted.slice(4));
      await expect(subject.audience.recipientsOf(id, sorted[4], 2)).resolves.toEqual([]);
      await expect(subject.audience.recipientsOf(randomUUID(), undefined, 10)).resolves.toEqual([]);
    });
  });
}
