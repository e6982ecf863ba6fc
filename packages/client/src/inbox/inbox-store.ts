import type { PushlineClient } from '../client-types.js';
import type { AnyEnvelope } from '../event-dispatch.js';
import type { Notification, NotificationCounts } from '../rest/api-types.js';
import { PushlineApiError, type PushlineApi } from '../rest/pushline-api.js';
import { countsOf, newerCounts } from './counts-rule.js';
import { applyNotificationEvent } from './notification-events.js';

export interface InboxSnapshot {
  /** Unarchived notifications, newest first. */
  readonly items: readonly Notification[];
  /** The server's counts (newest version); null where the server sends none yet. */
  readonly counts: NotificationCounts | null;
  /** The badge: the server's unread count, else the legacy `notification.unread_count`, else counted from `items`. */
  readonly unread: number;
  readonly loading: boolean;
  readonly error: string | null;
}

export interface InboxStore {
  getSnapshot(): InboxSnapshot;
  subscribe(listener: () => void): () => void;
  markRead(notificationId: string): Promise<void>;
  markAllRead(): Promise<void>;
  archive(notificationId: string): Promise<void>;
  /** Reloads list and counts (done by itself after `stream.reset`). */
  reload(): Promise<void>;
  /** Applies counts from anywhere; false when stale by the version rule. */
  applyCounts(counts: NotificationCounts): boolean;
  close(): void;
}

/** In the (unarchived) inbox: not archived (`archived` before the notification center, `archivedAt` since), snoozed or expired. */
function inInbox(n: Notification): boolean {
  return !n.archived && !n.archivedAt && !n.expiredAt && !(n.snoozedUntil && Date.parse(n.snoozedUntil) > Date.now());
}

/**
 * The inbox kept consistent from the stream: the list is read once the stream is open (events that
 * arrive meanwhile are applied on top, in order), each `notification.*` event updates it, and counts
 * follow the version rule whether they come by event or by REST answer.
 */
export function createInboxStore(options: { client: PushlineClient; api: PushlineApi; pageSize?: number }): InboxStore {
  const { client, api } = options;
  const items = new Map<string, Notification>();
  const listeners = new Set<() => void>();
  let counts: NotificationCounts | null = null;
  let legacyUnread: { unread: number; at: string } | null = null;
  let pending: AnyEnvelope[] | null = [];
  let loading = true;
  let error: string | null = null;
  let snapshot: InboxSnapshot = build();
  let loads = 0;

  function build(): InboxSnapshot {
    const list = [...items.values()].filter(inInbox).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    const unread = counts?.unread ?? legacyUnread?.unread ?? list.filter((n) => n.status === 'unread').length;
    return { items: list, counts, unread, loading, error };
  }

  function changed(): void {
    snapshot = build();
    for (const listener of [...listeners]) listener();
  }

  function applyCounts(next: NotificationCounts): boolean {
    if (!newerCounts(counts, next)) return false;
    counts = next;
    changed();
    return true;
  }

  function apply(envelope: AnyEnvelope): void {
    if (envelope.type === 'notification.counts') {
      const next = countsOf(envelope.data);
      if (next) applyCounts(next);
      return;
    }
    if (envelope.type === 'notification.unread_count') {
      const data = envelope.data as { unread: number; at: string };
      if (!legacyUnread || data.at >= legacyUnread.at) legacyUnread = { unread: data.unread, at: data.at };
      changed();
      return;
    }
    const effect = applyNotificationEvent(items, envelope);
    if (effect === 'fetch') void fetchOne((envelope.data as { notificationId: string }).notificationId);
    else if (effect === 'changed') changed();
    const carried = countsOf((envelope.data as { counts?: unknown } | null)?.counts);
    if (carried) applyCounts(carried);
  }

  async function fetchOne(id: string): Promise<void> {
    try {
      items.set(id, await api.notifications.get(id));
      changed();
    } catch {
      // gone again meanwhile: nothing to show
    }
  }

  async function reload(): Promise<void> {
    const load = ++loads;
    pending ??= [];
    loading = true;
    changed();
    try {
      const [page, serverCounts] = await Promise.all([
        api.notifications.list({ limit: options.pageSize ?? 50 }),
        api.notifications.counts().catch((e: unknown) => {
          if (e instanceof PushlineApiError && e.status === 404) return null; // a server without counts
          throw e;
        }),
      ]);
      if (load !== loads) return;
      items.clear();
      for (const n of page.items) items.set(n.id, n);
      if (serverCounts) applyCounts(serverCounts);
      error = null;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (load !== loads) return;
    const queued = pending ?? [];
    pending = null;
    loading = false;
    for (const envelope of queued) apply(envelope);
    changed();
  }

  const subscriptions = [
    client.onAny((envelope) => {
      if (pending) pending.push(envelope);
      else apply(envelope);
    }),
    client.on('stream.reset', () => void reload()),
    client.onState((state) => {
      if (state === 'open' && loads === 0) void reload();
    }),
  ];
  if (client.state === 'open') void reload();

  const applyAnswer = (answer: Notification & { counts?: unknown }): void => {
    const { counts: carried, ...notification } = answer;
    // The answer may come after the stream's `notification.archived` removed it: never bring it back.
    if (inInbox(notification)) items.set(notification.id, notification);
    else items.delete(notification.id);
    const next = countsOf(carried);
    if (next) applyCounts(next);
    changed();
  };

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async markRead(id) {
      applyAnswer(await api.notifications.update(id, { status: 'read' }));
    },
    async markAllRead() {
      try {
        const answer = await api.notifications.readAll();
        for (const [id, n] of items) if (n.status === 'unread' || n.status === 'seen') items.set(id, { ...n, status: 'read' });
        const next = countsOf(answer?.counts);
        if (next) applyCounts(next);
        changed();
      } catch (e) {
        if (!(e instanceof PushlineApiError && e.status === 404)) throw e;
        // A server before the notification center: one change per unread notification shown.
        for (const n of snapshot.items) if (n.status === 'unread') await this.markRead(n.id);
      }
    },
    async archive(id) {
      try {
        applyAnswer(await api.notifications.update(id, { archived: true }));
      } catch (e) {
        // A server before the notification center knows only `status`: dismissing is its archive.
        if (!(e instanceof PushlineApiError && e.status === 400 && e.field === 'status')) throw e;
        await api.notifications.update(id, { status: 'dismissed' });
        items.delete(id);
        changed();
      }
    },
    reload,
    applyCounts,
    close() {
      for (const unsubscribe of subscriptions) unsubscribe();
      listeners.clear();
    },
  };
}
