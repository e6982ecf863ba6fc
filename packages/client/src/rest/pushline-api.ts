import type { FetchLike } from '../platform.js';
import type {
  BulkFilter,
  ChangedNotification,
  CreateNotificationInput,
  CurrentUser,
  EventsPage,
  ListNotificationsQuery,
  LoginResult,
  Notification,
  NotificationCounts,
  NotificationPage,
  NotificationPatch,
  Preferences,
  PreferencesUpdate,
  PushSubscriptionJson,
  PushSubscriptionRecord,
  RefreshResult,
} from './api-types.js';

/** An API error in the server's shape: `{error: {code, message, field?}}` and the HTTP status. */
export class PushlineApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PushlineApiError';
  }
}

export interface PushlineApiOptions {
  readonly baseUrl: string;
  /** Bearer token (or a function returning the current one); browsers may use the cookie instead. */
  readonly token?: string | (() => string | undefined | Promise<string | undefined>);
  /** Sent as `X-Device-Id`, so the events a request causes name this device. */
  readonly deviceId?: string;
  readonly fetch?: FetchLike;
}

/** Typed helpers for the REST routes: each throws `PushlineApiError` on a 4xx/5xx. */
export function createPushlineApi(options: PushlineApiOptions) {
  const apiUrl = `${options.baseUrl.replace(/\/+$/, '')}/api/v1`;
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = typeof options.token === 'function' ? await options.token() : options.token;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.deviceId) headers['x-device-id'] = options.deviceId;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await doFetch(`${apiUrl}${path}`, {
      method,
      headers,
      credentials: 'include',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // a proxy's HTML page: keep the status
    }
    if (!res.ok) {
      const error = (json as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
      throw new PushlineApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `${method} ${path} answered ${res.status}`, error?.field);
    }
    return json as T;
  }

  const query = (params: Record<string, unknown>): string => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
    const text = search.toString();
    return text ? `?${text}` : '';
  };
  const id = (value: string): string => encodeURIComponent(value);

  return {
    login: (credentials: { email: string; password: string }) => call<LoginResult>('POST', '/auth/login', credentials),
    refresh: () => call<RefreshResult>('POST', '/auth/refresh'),
    logout: () => call<void>('POST', '/auth/logout'),
    me: () => call<CurrentUser>('GET', '/me'),
    notifications: {
      list: (q: ListNotificationsQuery = {}) => call<NotificationPage>('GET', `/notifications${query({ ...q })}`),
      get: (notificationId: string) => call<Notification>('GET', `/notifications/${id(notificationId)}`),
      create: (input: CreateNotificationInput) => call<Notification>('POST', '/notifications', input),
      update: (notificationId: string, patch: NotificationPatch) => call<ChangedNotification>('PATCH', `/notifications/${id(notificationId)}`, patch),
      remove: (notificationId: string) => call<void>('DELETE', `/notifications/${id(notificationId)}`),
      seenAll: (filter: BulkFilter = {}) => call<{ counts?: NotificationCounts }>('POST', '/notifications/seen-all', filter),
      readAll: (filter: BulkFilter = {}) => call<{ counts?: NotificationCounts }>('POST', '/notifications/read-all', filter),
      archiveAll: (filter: BulkFilter = {}) => call<{ counts?: NotificationCounts }>('POST', '/notifications/archive-all', filter),
      counts: () => call<NotificationCounts>('GET', '/notifications/counts'),
    },
    preferences: {
      get: () => call<Preferences>('GET', '/preferences'),
      update: (update: PreferencesUpdate) => call<Preferences>('PUT', '/preferences', update),
    },
    pushSubscriptions: {
      /** The key to pass as `applicationServerKey` to `pushManager.subscribe` (404 while web push is off). */
      vapidPublicKey: () => call<{ publicKey: string }>('GET', '/push/vapid-public-key'),
      /** Stores `subscription.toJSON()` for the logged-in user; again with the same endpoint renews its keys. */
      subscribe: (subscription: PushSubscriptionJson) => call<PushSubscriptionRecord>('POST', '/push-subscriptions', subscription),
      /** Removes the user's subscription at `endpoint` (404 when there is none). */
      unsubscribe: (subscription: Pick<PushSubscriptionJson, 'endpoint'>) => call<void>('DELETE', '/push-subscriptions', { endpoint: subscription.endpoint }),
    },
    /** The polling endpoint (the SDK's `poll` transport uses it too). */
    events: (after = 0, limit = 100) => call<EventsPage>('GET', `/events${query({ after, limit })}`),
  };
}

export type PushlineApi = ReturnType<typeof createPushlineApi>;
