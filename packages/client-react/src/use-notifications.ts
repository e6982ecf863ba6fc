import type { ConnectionState, InboxSnapshot, StateReason } from '@pushline/client';
import { useCallback, useSyncExternalStore } from 'react';
import { usePushlineContext } from './pushline-context.js';

const EMPTY: InboxSnapshot = { items: [], counts: null, unread: 0, loading: true, error: null };
const noSubscription = () => () => undefined;

export interface UseNotificationsResult extends InboxSnapshot {
  readonly state: ConnectionState;
  readonly reason: StateReason | undefined;
  markRead(notificationId: string): Promise<void>;
  markAllRead(): Promise<void>;
  archive(notificationId: string): Promise<void>;
  reload(): Promise<void>;
}

/** The inbox (list, counts, badge) and the connection state, live; with the actions that change them. */
export function useNotifications(): UseNotificationsResult {
  const { client, store } = usePushlineContext('useNotifications');
  const snapshot = useSyncExternalStore(store?.subscribe ?? noSubscription, store?.getSnapshot ?? (() => EMPTY));
  const connection = useSyncExternalStore(
    useCallback((changed: () => void) => client?.onState(changed) ?? (() => undefined), [client]),
    () => `${client?.state ?? 'connecting'}|${client?.reason ?? ''}`,
  );
  const [state, reason] = connection.split('|') as [ConnectionState, string];
  const need = (): NonNullable<typeof store> => {
    if (!store) throw new Error('the Pushline client is not ready yet');
    return store;
  };
  return {
    ...snapshot,
    state,
    reason: reason || undefined,
    markRead: (id) => need().markRead(id),
    markAllRead: () => need().markAllRead(),
    archive: (id) => need().archive(id),
    reload: () => need().reload(),
  };
}
