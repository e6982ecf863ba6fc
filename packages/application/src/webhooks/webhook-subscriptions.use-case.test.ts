import { describe, expect, it } from '@jest/globals';
import { defaultEventTypes, LimitExceededError, NotFoundError, ValidationError } from '@pushline/domain';
import { FakeDestinationCheck, FixedClock, InMemoryWebhookSubscriptionRepository, SequentialIdGenerator, SequentialWebhookSecrets } from '@pushline/testing';
import { CreateWebhookSubscription } from './create-webhook-subscription.use-case.js';
import { GetWebhookStatus } from './get-webhook-status.use-case.js';
import { ListWebhookSubscriptions } from './list-webhook-subscriptions.use-case.js';
import { RotateWebhookSecret } from './rotate-webhook-secret.use-case.js';
import { UpdateWebhookSubscription } from './update-webhook-subscription.use-case.js';

const settings = { allowHttp: false, maxSubscriptionsPerApp: 2, secretOverlapMs: 24 * 3_600_000 };

function setup() {
  const repository = new InMemoryWebhookSubscriptionRepository();
  const clock = new FixedClock();
  const ids = new SequentialIdGenerator();
  const destinations = new FakeDestinationCheck(['169.254.169.254']);
  const secrets = new SequentialWebhookSecrets();
  return {
    repository,
    clock,
    create: new CreateWebhookSubscription(repository, destinations, secrets, ids, clock, defaultEventTypes, settings, { findById: async () => ({ tenantId: 'tenant-test' }) }),
    update: new UpdateWebhookSubscription(repository, repository, destinations, ids, clock, defaultEventTypes, settings),
    rotate: new RotateWebhookSecret(repository, secrets, clock, settings),
    status: new GetWebhookStatus(repository, repository),
    list: new ListWebhookSubscriptions(repository),
  };
}

const app1 = { tenantId: 'tenant-test', appId: 'app-1' };
const app2 = { tenantId: 'tenant-test', appId: 'app-2' };
const input = { owner: app1, url: 'https://hooks.example.com/in', eventTypes: ['notification.*'] };
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('webhook subscription use cases', () => {
  it('creates with a secret shown once, up to the per-app limit (then 429)', async () => {
    const t = setup();
    const created = await t.create.execute(input);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.subscription).toMatchObject({ owner: 'app-1', enabled: true, eventTypes: ['notification.*'] });
    await t.create.execute(input);
    expect(await rejection(t.create.execute(input))).toBeInstanceOf(LimitExceededError);
    await expect(t.create.execute({ ...input, owner: app2 })).resolves.toBeDefined();
  });

  it('refuses unknown event types, http in production and refused destinations, naming the field', async () => {
    const t = setup();
    expect(await rejection(t.create.execute({ ...input, eventTypes: ['order.shipped'] }))).toMatchObject({ field: 'eventTypes' });
    expect(await rejection(t.create.execute({ ...input, url: 'http://hooks.example.com/' }))).toMatchObject({ field: 'url' });
    const refused = await rejection(t.create.execute({ ...input, url: 'https://169.254.169.254/' }));
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ field: 'url' });
    expect(t.repository.rows.size).toBe(0);
  });

  it('re-enabling is logged for the app, and another app cannot touch it', async () => {
    const t = setup();
    const { subscription } = await t.create.execute(input);
    await t.repository.disable({ id: 'e1', type: 'webhook.disabled', subscriptionId: subscription.id, reason: '100 consecutive failed attempts', time: t.clock.now() });
    t.clock.advance(1000);
    await t.update.execute({ owner: app1, id: subscription.id, changes: { enabled: true } });
    const status = await t.status.execute({ owner: app1, id: subscription.id });
    expect(status.enabled).toBe(true);
    expect(status.events.map((e) => e.type)).toEqual(['webhook.enabled', 'webhook.disabled']);
    expect(await rejection(t.update.execute({ owner: app2, id: subscription.id, changes: { enabled: false } }))).toBeInstanceOf(NotFoundError);
    expect(await rejection(t.update.execute({ owner: { ...app1, tenantId: 'tenant-other' }, id: subscription.id, changes: { enabled: false } }))).toBeInstanceOf(NotFoundError);
    expect((await t.repository.find(app1, subscription.id))?.enabled).toBe(true);
  });

  it("refuses to create for an app of another tenant than the caller's", async () => {
    const t = setup();
    expect(await rejection(t.create.execute({ ...input, owner: { ...app1, tenantId: 'tenant-other' } }))).toBeInstanceOf(NotFoundError);
    expect(t.repository.rows.size).toBe(0);
  });

  it('rotates the secret with an overlap', async () => {
    const t = setup();
    const { subscription, secret: first } = await t.create.execute(input);
    const rotated = await t.rotate.execute({ owner: app1, id: subscription.id });
    expect(rotated.secret).not.toBe(first);
    const stored = (await t.repository.find(app1, subscription.id))!;
    expect(stored.signingSecrets(t.clock.now())).toEqual([rotated.secret, first]);
    expect(rotated.previousSecretExpiresAt).toEqual(new Date(t.clock.now().getTime() + settings.secretOverlapMs));
  });

  it('lists within the owner, checking the page size', async () => {
    const t = setup();
    await t.create.execute(input);
    expect((await t.list.execute({ owner: app1 })).items).toHaveLength(1);
    expect((await t.list.execute({ owner: app2 })).items).toHaveLength(0);
    expect(await rejection(t.list.execute({ owner: app1, limit: 101 }))).toMatchObject({ field: 'limit' });
  });
});
