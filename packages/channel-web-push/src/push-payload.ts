import { createHash } from 'node:crypto';
import type { ChannelMessage } from '@pushline/domain';

/**
 * Push services must accept 4096 bytes of encrypted body (RFC 8030 §7.2). aes128gcm adds an 86-byte
 * header (salt 16, record size 4, key id length 1, sender key 65), a 16-byte tag and a 1-byte padding
 * delimiter, leaving this much for the JSON.
 */
export const PUSH_PAYLOAD_MAX_BYTES = 4096 - 86 - 16 - 1;

/** What the service worker receives (docs/notifications.md#web-push). */
export interface PushPayload {
  readonly title: string;
  readonly body: string;
  readonly url: string | null;
  /** The notifications this push stands for (several for a digest; a long list is cut, `count` keeps the total). */
  readonly notificationIds: readonly string[];
  readonly count: number;
}

/** Ids kept when a digest's list does not fit; the service worker needs the first for its `tag`. */
const IDS_KEPT_WHEN_LONG = 10;
const ELLIPSIS = '…';

const bytes = (p: PushPayload) => Buffer.byteLength(JSON.stringify(p));

/**
 * The JSON sent, at most PUSH_PAYLOAD_MAX_BYTES: a long id list is cut first, then the body, then the
 * title (each ends with "…"), then the ids down to one, then the link; each cut is measured in JSON
 * bytes, so one cut per step is enough.
 */
export function pushPayloadOf(message: ChannelMessage): string {
  let payload: PushPayload = {
    title: message.title,
    body: message.body,
    url: message.action?.url ?? null,
    notificationIds: [...message.notificationIds],
    count: message.count,
  };
  const overflow = () => bytes(payload) - PUSH_PAYLOAD_MAX_BYTES;
  if (overflow() > 0 && payload.notificationIds.length > IDS_KEPT_WHEN_LONG) {
    payload = { ...payload, notificationIds: payload.notificationIds.slice(0, IDS_KEPT_WHEN_LONG) };
  }
  if (overflow() > 0) payload = { ...payload, body: cut(payload.body, overflow()) };
  if (overflow() > 0) payload = { ...payload, title: cut(payload.title, overflow()) };
  if (overflow() > 0) payload = { ...payload, notificationIds: payload.notificationIds.slice(0, 1) };
  if (overflow() > 0) payload = { ...payload, url: null };
  return JSON.stringify(payload);
}

/** `text` shortened by at least `excess` bytes of JSON, room for the ellipsis included, at a code point. */
function cut(text: string, excess: number): string {
  const points = [...text];
  const sizes = points.map(jsonBytes);
  let budget = sizes.reduce((a, b) => a + b, 0) - excess - jsonBytes(ELLIPSIS);
  let keep = 0;
  while (keep < points.length && budget - sizes[keep]! >= 0) budget -= sizes[keep++]!;
  return keep > 0 ? points.slice(0, keep).join('') + ELLIPSIS : '';
}

/** Bytes one code point takes inside a JSON string (escapes such as \" and \n count double). */
const jsonBytes = (point: string): number => Buffer.byteLength(JSON.stringify(point)) - 2;

export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';

/**
 * RFC 8030 `Urgency` (how eagerly a device on battery is woken) and `TTL` (how long the push service
 * keeps the message for a device that is offline) per priority: a low one may wait and is not worth
 * showing after a few hours; an urgent one should reach a phone that comes back days later.
 */
export const PUSH_DELIVERY_BY_PRIORITY: Readonly<Record<string, { readonly urgency: PushUrgency; readonly ttlSeconds: number }>> = {
  low: { urgency: 'low', ttlSeconds: 6 * 3600 },
  normal: { urgency: 'normal', ttlSeconds: 24 * 3600 },
  high: { urgency: 'high', ttlSeconds: 24 * 3600 },
  urgent: { urgency: 'high', ttlSeconds: 3 * 24 * 3600 },
};

export function pushDeliveryOf(priority: string): { readonly urgency: PushUrgency; readonly ttlSeconds: number } {
  return PUSH_DELIVERY_BY_PRIORITY[priority] ?? PUSH_DELIVERY_BY_PRIORITY.normal!;
}

/**
 * RFC 8030 `Topic` (≤ 32 base64url characters): a retry of the same message replaces its copy still
 * waiting at the push service, so an offline device gets it once.
 */
export function pushTopicOf(notificationIds: readonly string[]): string {
  return createHash('sha256').update(notificationIds.join(',')).digest('base64url').slice(0, 32);
}
