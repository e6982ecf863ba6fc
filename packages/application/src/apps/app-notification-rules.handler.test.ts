import { describe, expect, it } from '@jest/globals';
import type { AppNotificationRule, DomainEvent } from '@pushline/domain';
import { FixedClock, InMemoryAppNotificationRuleRepository, InMemoryEventStore, InMemoryPreferenceRepository, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { EventFactory } from '@pushline/domain';
import { CreateNotification } from '../notifications/create-notification.use-case.js';
import { AppNotificationRulesHandler } from './app-notification-rules.handler.js';

const RULE: AppNotificationRule = {
  tenantId: 't1', appId: 'app-1', eventType: 'wb.task.assigned', category: 'app.wb', title: 'Task {{title}}', body: '{{missing}}',
  priority: 'high', createdAt: new Date(0), updatedAt: new Date(0),
};

async function setup(recipients: readonly string[], installed: readonly string[]) {
  const clock = new FixedClock('2026-04-01T09:00:00.000Z');
  const uow = new InMemoryUnitOfWork();
  const preferences = new InMemoryPreferenceRepository();
  const rules = new InMemoryAppNotificationRuleRepository();
  await rules.upsert(RULE);
  const log = new InMemoryEventStore();
  const create = new CreateNotification(uow, new SequentialIdGenerator('n'), clock, new EventFactory(new SequentialIdGenerator('e'), clock, '/t'));
  const installations = { installedAmong: async (_t: string, _a: string, ids: readonly string[]) => new Set(ids.filter((id) => installed.includes(id))) };
  const handler = new AppNotificationRulesHandler(create, preferences, rules, log, installations, { pageSize: 2 });
  const event: DomainEvent = {
    specversion: '1.0', id: 'evt-1', type: 'wb.task.assigned', source: '/pushline/apps/app-1', subject: 'task/1', time: clock.now().toISOString(),
    datacontenttype: 'application/json', dataversion: 1, data: { title: 'Review' }, appid: 'app-1', tenantid: 't1',
  } as DomainEvent;
  // The event's stream rows: its audience as published.
  for (const userId of recipients) log.appendRaw(userId, event);
  // Shown in the app (a muted in-app copy leaves a channel-only one for the webhook, on by default for app categories).
  const made = () => [...uow.notifications.rows.values()].filter((n) => n.inApp).map((n) => n.userId).sort();
  return { uow, handler, event, preferences, rules, made };
}

describe('AppNotificationRulesHandler', () => {
  it('notifies each recipient of the event who has the app installed, page by page, with the rendered rule', async () => {
    const { uow, handler, event, made } = await setup(['u1', 'u2', 'u3', 'u4', 'u5'], ['u1', 'u3', 'u4', 'u5']);
    await handler.handle(event);
    expect(made()).toEqual(['u1', 'u3', 'u4', 'u5']);
    expect([...uow.notifications.rows.values()][0]).toMatchObject({ title: 'Task Review', body: '', priority: 'high', category: 'app.wb', source: 'app:app-1', tenantId: 't1' });
  });

  it('is idempotent by event id, and obeys the in-app preference of the app\'s category', async () => {
    const { uow, handler, event, preferences, made } = await setup(['u1', 'u2'], ['u1', 'u2']);
    await preferences.save({ tenantId: 't1', userId: 'u2' }, { 'app.wb': { in_app: false } }, new Date());
    await handler.handle(event);
    await handler.handle(event);
    expect(made()).toEqual(['u1']);
    expect([...uow.notifications.rows.values()].filter((n) => !n.inApp).map((n) => n.userId)).toEqual(['u2']);
  });

  it('ignores events of other apps or tenants, events without a rule, and catalog events', async () => {
    const { handler, event, made } = await setup(['u1'], ['u1']);
    await handler.handle({ ...event, tenantid: 't2' });
    await handler.handle({ ...event, type: 'wb.task.closed' });
    await handler.handle({ ...event, appid: 'app-2' });
    const { appid: _a, ...catalogEvent } = event;
    await handler.handle(catalogEvent as DomainEvent);
    expect(made()).toEqual([]);
  });
});
