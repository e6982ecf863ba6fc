import { describe, expect, it } from '@jest/globals';
import type { ChannelMessage } from '@pushline/domain';
import { PUSH_PAYLOAD_MAX_BYTES, pushDeliveryOf, pushPayloadOf, pushTopicOf } from './push-payload.js';

const message = (overrides: Partial<ChannelMessage>): ChannelMessage => ({
  tenantId: 't',
  userId: 'u',
  channel: 'web_push',
  notificationIds: ['n-1'],
  title: 'Title',
  body: 'Body',
  priority: 'normal',
  category: 'test',
  count: 1,
  ...overrides,
});
const parsed = (m: ChannelMessage) => {
  const json = pushPayloadOf(m);
  expect(Buffer.byteLength(json)).toBeLessThanOrEqual(PUSH_PAYLOAD_MAX_BYTES);
  return JSON.parse(json) as { title: string; body: string; url: string | null; notificationIds: string[]; count: number };
};

describe('push payload', () => {
  it('is the notification as it is when it fits', () => {
    expect(parsed(message({ action: { url: '/orders/1', label: 'Open' } }))).toEqual({ title: 'Title', body: 'Body', url: '/orders/1', notificationIds: ['n-1'], count: 1 });
  });

  it('cuts the body, then the title, at code points, to fit 4 KiB encrypted, keeping the link', () => {
    const emoji = '😀'.repeat(3000);
    const longBody = parsed(message({ body: emoji }));
    expect(longBody.title).toBe('Title');
    expect(longBody.body.endsWith('…')).toBe(true);
    expect([...longBody.body.slice(0, -1)].every((c) => c === '😀')).toBe(true);

    const both = parsed(message({ title: emoji, body: emoji, action: { url: `https://x.example/${'a'.repeat(2000)}`, label: 'x' } }));
    expect(both.body).toBe('');
    expect(both.title.endsWith('…')).toBe(true);
    expect(both.url).toMatch(/^https:/);

    // Escapes count: a body of quotes and newlines takes two JSON bytes per character.
    const escaped = parsed(message({ body: '"\n'.repeat(3000) }));
    expect(escaped.body.length).toBeGreaterThan(1500);
  });

  it('maps priority to Urgency and TTL, unknown ones as normal; the Topic depends only on the ids', () => {
    expect(pushDeliveryOf('urgent')).toEqual({ urgency: 'high', ttlSeconds: 259_200 });
    expect(pushDeliveryOf('nonsense')).toEqual(pushDeliveryOf('normal'));
    expect(pushTopicOf(['a', 'b'])).toBe(pushTopicOf(['a', 'b']));
    expect(pushTopicOf(['a', 'b'])).not.toBe(pushTopicOf(['a']));
    expect(pushTopicOf(['a'])).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
