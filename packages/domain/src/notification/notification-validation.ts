import { ValidationError } from '../shared/errors.js';
import type { NewNotification, NotificationSnapshot } from './notification.js';
import {
  NOTIFICATION_LIMITS as L,
  NOTIFICATION_PRIORITIES,
  TEST_CATEGORY,
  type NotificationAction,
  type NotificationData,
} from './notification-fields.js';

const CATEGORY = /^[a-z0-9][a-z0-9._-]*$/;

type ValidNotificationFields = Pick<
  NotificationSnapshot,
  'title' | 'body' | 'priority' | 'category' | 'source' | 'action' | 'data' | 'expiresAt' | 'groupKey'
>;

/** Every limit of a new notification; the first broken one throws a ValidationError naming its field. */
export function validateNewNotification(input: NewNotification): ValidNotificationFields {
  const title = input.title.trim();
  const body = input.body ?? '';
  if (title.length === 0) throw new ValidationError('title', 'title must not be empty');
  maxLength('title', title, L.titleMax);
  maxLength('body', body, L.bodyMax);
  const priority = input.priority ?? 'normal';
  if (!NOTIFICATION_PRIORITIES.includes(priority)) {
    throw new ValidationError('priority', `priority must be one of ${NOTIFICATION_PRIORITIES.join(', ')}`);
  }
  const category = input.category ?? TEST_CATEGORY;
  maxLength('category', category, L.categoryMax);
  if (!CATEGORY.test(category)) throw new ValidationError('category', 'category must be lowercase letters, digits, ".", "_" or "-"');
  const source = input.source ?? 'user';
  if (source.length === 0) throw new ValidationError('source', 'source must not be empty');
  maxLength('source', source, L.sourceMax);
  const data = input.data ?? null;
  maxBytes('data', data);
  const action = input.action ? validAction(input.action) : null;
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && (Number.isNaN(expiresAt.getTime()) || expiresAt <= input.now)) {
    throw new ValidationError('expiresAt', 'expiresAt must be a time in the future');
  }
  const groupKey = input.groupKey ?? null;
  if (groupKey !== null) {
    if (groupKey.length === 0) throw new ValidationError('groupKey', 'groupKey must not be empty');
    maxLength('groupKey', groupKey, L.groupKeyMax);
  }
  return { title, body, priority, category, source, action, data, expiresAt, groupKey };
}

function validAction(action: NotificationAction): NotificationAction {
  const label = action.label.trim();
  if (label.length === 0) throw new ValidationError('action.label', 'action.label must not be empty');
  maxLength('action.label', label, L.actionLabelMax);
  maxLength('action.url', action.url, L.actionUrlMax);
  // Relative links stay in the app; absolute ones must be http(s): no javascript: or data: URLs.
  if (!action.url.startsWith('/') || action.url.startsWith('//')) {
    let protocol: string;
    try {
      protocol = new URL(action.url).protocol;
    } catch {
      throw new ValidationError('action.url', 'action.url must be an absolute http(s) URL or a path starting with /');
    }
    if (protocol !== 'https:' && protocol !== 'http:') throw new ValidationError('action.url', 'action.url must use http or https');
  }
  const data = action.data ?? null;
  maxBytes('action.data', data);
  return { url: action.url, label, data };
}

function maxLength(field: string, value: string, max: number): void {
  if (value.length > max) throw new ValidationError(field, `${field} must be at most ${max} characters`);
}

function maxBytes(field: string, value: NotificationData | null): void {
  if (value !== null && Buffer.byteLength(JSON.stringify(value)) > L.dataMaxBytes) {
    throw new ValidationError(field, `${field} must serialize to at most ${L.dataMaxBytes} bytes`);
  }
}
