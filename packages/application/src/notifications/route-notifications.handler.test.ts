import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { EventFactory, storeOrderShipped, presenceTyping, ValidationError, type DomainEvent } from '@pushline/domain';
import { FixedClock, InMemoryPreferenceRepository, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { CreateNotification } from './create-notification.use-case.js';
import { GetPreferences } from './get-preferences.use-case.js';
import { RouteNotificationsHandler } from './route-notifications.handler.js';
import { ROUTING_RULES, routingRulesTable, type RoutingRule } from './routing-rules.js';
import { UpdatePreferences } from './update-preferences.use-case.js';

function setup(rules?: readonly RoutingRule[]) {
  const clock = new FixedClock('2026-04-01T09:00:00.000Z');
  const uow = new InMemoryUnitOfWork();
  const factory = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
  const preferences = new InMemoryPreferenceRepository();
  const create = new CreateNotification(uow, new SequentialIdGenerator('n'), clock, factory);
  const handler = new RouteNotificationsHandler(create, preferences, rules);
  const shipped = (userId: string): DomainEvent => factory.create(storeOrderShipped, 'order-7', { orderId: '7', userId, carrier: 'DHL', trackingUrl: 'https://track.example/7' }, { tenantId: 't1' });
  return { clock, uow, factory, preferences, handler, shipped, update: new UpdatePreferences(preferences, clock), get: new GetPreferences(preferences) };
}

const created = (uow: InMemoryUnitOfWork) => uow.committedEvents.filter((e) => e.type === 'notification.created');

describe('routing rules', () => {
  it('store.order_shipped makes exactly one notification, for the customer, in category orders, from the rule', async () => {
    const { uow, handler, shipped } = setup();

    await handler.handle(shipped('u1'));

    expect([...uow.notifications.rows.values()]).toEqual([
      expect.objectContaining({
        userId: 'u1',
        title: 'Your order has shipped',
        body: 'Order 7 is on its way with DHL.',
        priority: 'normal',
        category: 'orders',
        source: 'rule:order-shipped',
        action: { url: 'https://track.example/7', label: 'Track', data: null },
        groupKey: 'order:7',
      }),
    ]);
    expect(created(uow).map((e) => (e.data as { userId: string }).userId)).toEqual(['u1']);
  });

  it('handles the same event twice (at-least-once) without a second notification', async () => {
    const { uow, handler, shipped } = setup();
    const event = shipped('u1');
    await handler.handle(event);
    await handler.handle(event);
    expect(uow.notifications.rows.size).toBe(1);
    expect(created(uow)).toHaveLength(1);
  });

  it('a muted in-app preference keeps the notification out of the app; a critical category ignores the mute', async () => {
    const alert: RoutingRule = {
      name: 'typing-alert',
      event: presenceTyping,
      category: 'security',
      summary: 'test',
      build: (d) => ({ recipients: [(d as { userId: string }).userId], title: 'New sign-in' }),
    };
    const { uow, handler, shipped, preferences, factory } = setup([...ROUTING_RULES, alert]);
    await preferences.save({ tenantId: 't1', userId: 'u1' }, { orders: { in_app: false }, security: { in_app: false } }, new Date());

    await handler.handle(shipped('u1'));
    await handler.handle(factory.create(presenceTyping, 'u1', { userId: 'u1', subject: 's', typing: true, at: new Date().toISOString() }, { tenantId: 't1' }));

    // orders still has email, web push and the webhook on: a channel-only notification, which no device receives.
    expect([...uow.notifications.rows.values()].map((n) => [n.category, n.inApp])).toEqual([
      ['orders', false],
      ['security', true],
    ]);
    expect(created(uow).map((e) => [(e.data as { category: string }).category, (e.data as { inApp?: false }).inApp])).toEqual([
      ['orders', false],
      ['security', undefined],
    ]);
    expect(uow.committedEvents.filter((e) => e.type === 'notification.counts')).toHaveLength(1);
    const inbox = await uow.notifications.listByUser({ tenantId: 't1', userId: 'u1', limit: 10 });
    expect(inbox.items.map((n) => n.toSnapshot().category)).toEqual(['security']);
    expect(await uow.notifications.countInInbox({ tenantId: 't1', userId: 'u1' })).toEqual({ unseen: 1, unread: 1 });
  });

  it('every channel of the category muted: no notification at all', async () => {
    const { uow, handler, shipped, preferences } = setup();
    await preferences.save({ tenantId: 't1', userId: 'u1' }, { orders: { in_app: false, email: false, web_push: false, webhook: false } }, new Date());
    await handler.handle(shipped('u1'));
    expect(uow.notifications.rows.size).toBe(0);
    expect(uow.committedEvents).toEqual([]);
  });

  it('preferences: defaults per category, partial changes, unknown categories and muting critical ones refused', async () => {
    const { update, get } = setup();
    expect((await get.execute({ tenantId: 't1', userId: 'u1' })).categories['orders']).toEqual({ critical: false, channels: { in_app: true, email: true, web_push: true, webhook: true } });

    const after = await update.execute({ tenantId: 't1', userId: 'u1' }, { orders: { channels: { email: false } } });

    expect(after.categories['orders']).toEqual({ critical: false, channels: { in_app: true, email: false, web_push: true, webhook: true } });
    expect(after.categories['security']).toEqual({ critical: true, channels: { in_app: true, email: true, web_push: true, webhook: true } });
    await expect(update.execute({ tenantId: 't1', userId: 'u1' }, { nope: { channels: { email: false } } })).rejects.toThrow(expect.objectContaining({ field: 'categories.nope', constructor: ValidationError }));
    await expect(update.execute({ tenantId: 't1', userId: 'u1' }, { security: { channels: { email: false } } })).rejects.toThrow(
      expect.objectContaining({ field: 'categories.security.channels.email' }),
    );
  });

  it('preferences list the user\'s app categories (never critical, quiet by default) and accept changes to them only', async () => {
    const { preferences, clock } = setup();
    const apps = { categoriesForUser: async (userId: string) => (userId === 'u1' ? ['app.workbuddy', 'app.workbuddy.tasks'] : []) };
    const get = new GetPreferences(preferences, apps);
    const update = new UpdatePreferences(preferences, clock, apps);

    expect((await get.execute({ tenantId: 't1', userId: 'u1' })).categories['app.workbuddy']).toEqual({ critical: false, channels: { in_app: true, email: false, web_push: false, webhook: true } });
    const after = await update.execute({ tenantId: 't1', userId: 'u1' }, { 'app.workbuddy.tasks': { channels: { in_app: false, web_push: true } } });
    expect(after.categories['app.workbuddy.tasks']).toEqual({ critical: false, channels: { in_app: false, email: false, web_push: true, webhook: true } });
    await expect(update.execute({ tenantId: 't1', userId: 'u2' }, { 'app.workbuddy': { channels: { in_app: false } } })).rejects.toThrow(expect.objectContaining({ field: 'categories.app.workbuddy' }));
    expect(Object.keys((await get.execute({ tenantId: 't1', userId: 'u2' })).categories)).not.toContain('app.workbuddy');
  });

  it('are listed in the generated table of docs/notifications.md', () => {
    const docs = readFileSync(new URL('../../../../docs/notifications.md', import.meta.url), 'utf8');
    expect(docs).toContain(routingRulesTable());
  });
});
