import { describe, expect, it } from '@jest/globals';
import { defaultEventTypes } from '../events/event-catalog.js';
import { ValidationError } from '../shared/errors.js';
import { eventTypeMatches, parseWebhookEventTypes } from './webhook-event-types.js';
import { parseDuration, WebhookRetrySchedule } from './webhook-retry-schedule.js';
import { WebhookSubscription } from './webhook-subscription.js';
import { parseWebhookUrl } from './webhook-url.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof ValidationError ? error.field : 'not a ValidationError';
  }
  return undefined;
};

describe('webhook URL rules', () => {
  it('accepts https, and http only when allowed', () => {
    expect(parseWebhookUrl('https://hooks.example.com/x?y=1', { allowHttp: false }).toString()).toBe('https://hooks.example.com/x?y=1');
    expect(fieldOf(() => parseWebhookUrl('http://hooks.example.com/', { allowHttp: false }))).toBe('url');
    expect(parseWebhookUrl('http://hooks.example.com/', { allowHttp: true }).protocol).toBe('http:');
  });

  it.each(['ftp://example.com/', 'javascript:alert(1)', 'not a url', 'https://user:pw@example.com/', 'https://example.com/#x', `https://example.com/${'a'.repeat(2048)}`])(
    'refuses %s naming url',
    (raw) => expect(fieldOf(() => parseWebhookUrl(raw, { allowHttp: true }))).toBe('url'),
  );
});

describe('webhook event types', () => {
  it('matches exact names, dotted prefixes and *', () => {
    expect(eventTypeMatches('notification.*', 'notification.read')).toBe(true);
    expect(eventTypeMatches('notification.*', 'notifications.read')).toBe(false);
    expect(eventTypeMatches('notification.read', 'notification.read')).toBe(true);
    expect(eventTypeMatches('*', 'presence.typing')).toBe(true);
  });

  it('checks patterns against the catalog and drops repeats', () => {
    expect(parseWebhookEventTypes(['notification.*', 'notification.*', 'notification.read'], defaultEventTypes)).toEqual(['notification.*', 'notification.read']);
    expect(fieldOf(() => parseWebhookEventTypes(['order.shipped'], defaultEventTypes))).toBe('eventTypes');
    expect(fieldOf(() => parseWebhookEventTypes(['Notification.*'], defaultEventTypes))).toBe('eventTypes');
    expect(fieldOf(() => parseWebhookEventTypes([], defaultEventTypes))).toBe('eventTypes');
  });
});

describe('WebhookRetrySchedule', () => {
  it('parses durations', () => {
    expect(['0', '250ms', '5s', '5m', '2h', '1d'].map(parseDuration)).toEqual([0, 250, 5000, 300_000, 7_200_000, 86_400_000]);
    expect(parseDuration('5 minutes')).toBeUndefined();
    expect(() => WebhookRetrySchedule.parse('0,5s,soon')).toThrow(ValidationError);
  });

  it('gives the wait before each attempt, jittered, until none is left', () => {
    const schedule = WebhookRetrySchedule.parse();
    expect(schedule.maxAttempts).toBe(8);
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => schedule.delayAfter(n, middle))).toEqual([5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(schedule.delayAfter(8, middle)).toBeUndefined();
    expect(schedule.delayAfter(1, () => 0)).toBe(4500);
    expect(schedule.delayAfter(1, () => 1)).toBe(5500);
  });

  it('waits at least Retry-After, and gives up on one beyond a day', () => {
    const schedule = WebhookRetrySchedule.parse();
    expect(schedule.delayAfter(1, () => 0.5, 60_000)).toBe(60_000);
    expect(schedule.delayAfter(2, () => 0.5, 1000)).toBe(300_000);
    expect(schedule.delayAfter(1, () => 0.5, 25 * 3_600_000)).toBeUndefined();
  });
});

describe('WebhookSubscription', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const create = () => WebhookSubscription.create({ id: 's1', owner: 'app', tenantId: 'tenant-test', url: 'https://x.example/', eventTypes: ['*'], secret: 'whsec_a', now });

  it('signs with both secrets during the rotation overlap, then with the new one only', () => {
    const s = create();
    s.rotateSecret('whsec_b', 60_000, now);
    expect(s.signingSecrets(new Date(now.getTime() + 59_999))).toEqual(['whsec_b', 'whsec_a']);
    expect(s.signingSecrets(new Date(now.getTime() + 60_000))).toEqual(['whsec_b']);
  });

  it('re-enabling clears the failure count and the reason', () => {
    const s = WebhookSubscription.restore({ ...create().toSnapshot(), enabled: false, consecutiveFailures: 100, failingSince: now, disabledReason: '100 consecutive failed attempts' });
    s.change({ enabled: true }, now);
    expect(s.toSnapshot()).toMatchObject({ enabled: true, consecutiveFailures: 0, failingSince: null, disabledReason: null });
  });

  it('limits user filters and descriptions', () => {
    expect(fieldOf(() => create().change({ userIds: Array.from({ length: 101 }, (_, i) => `u${i}`) }, now))).toBe('userIds');
    expect(fieldOf(() => create().change({ description: 'x'.repeat(501) }, now))).toBe('description');
  });
});
