import { describe, expect, it } from '@jest/globals';
import type { ConnectionState, PushlineClient } from '../client-types.js';
import { EventDispatch } from '../event-dispatch.js';
import type { Notification } from '../rest/api-types.js';
import type { PushlineApi } from '../rest/pushline-api.js';
import { createInboxStore } from './inbox-store.js';

/** A client whose events the test pushes by hand (the e2e suites use the real one). */
function scriptedClient(): { client: PushlineClient; dispatch: EventDispatch } {
  const dispatch = new EventDispatch();
  const client = {
    on: (type: string, handler: never) => dispatch.on(type, handler),
    onAny: (handler: never) => dispatch.onAny(handler),
    onState: (handler: (s: ConnectionState) => void) => dispatch.onState(handler),
    get state() {
      return dispatch.current.state;
    },
  } as unknown as PushlineClient;
  return { client, dispatch };
}

const note = (id: string, createdAt: string): Notification => ({ id, title: id, body: null, priority: 'normal', data: null, status: 'unread', createdAt, updatedAt: createdAt });

function fakeApi(list: Notification[], counts = { unseen: 2, unread: 2, version: 5 }): PushlineApi {
  return {
    notifications: {
      list: async () => ({ items: list, nextCursor: null }),
      counts: async () => counts,
      update: async (id: string) => ({ ...list.find((n) => n.id === id)!, status: 'read', counts: { unseen: 1, unread: 1, version: 7 } }),
    },
  } as unknown as PushlineApi;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('inbox store', () => {
  it('drops counts that are stale by version, from events and REST answers alike', async () => {
    const { client, dispatch } = scriptedClient();
    const store = createInboxStore({ client, api: fakeApi([note('a', '2026-01-01'), note('b', '2026-01-02')]) });
    dispatch.state('open');
    await flush();
    expect(store.getSnapshot().items.map((n) => n.id)).toEqual(['b', 'a']);
    expect(store.getSnapshot().counts).toEqual({ unseen: 2, unread: 2, version: 5 });

    const counts = (unread: number, version: number) =>
      dispatch.event({ type: 'notification.counts', id: `c${version}`, data: { unseen: unread, unread, version } } as never);
    counts(9, 4); // older than the list's counts
    expect(store.getSnapshot().unread).toBe(2);
    await store.markRead('a'); // the REST answer carries version 7
    expect(store.getSnapshot().unread).toBe(1);
    counts(3, 6); // the event of an earlier change, arriving late
    expect(store.getSnapshot().unread).toBe(1);
    counts(0, 8);
    expect(store.getSnapshot().counts).toEqual({ unseen: 0, unread: 0, version: 8 });
    expect(store.applyCounts({ unseen: 5, unread: 5, version: 8 })).toBe(false);
  });

  it('applies events that arrive while the list loads on top of it, once', async () => {
    const { client, dispatch } = scriptedClient();
    const store = createInboxStore({ client, api: fakeApi([note('a', '2026-01-01')]) });
    dispatch.state('open');
    dispatch.event({ type: 'notification.created', id: 'e1', time: '2026-01-03', data: { notificationId: 'c', title: 'c', createdAt: '2026-01-03' } } as never);
    dispatch.event({ type: 'notification.created', id: 'e2', time: '2026-01-01', data: { notificationId: 'a', title: 'a', createdAt: '2026-01-01' } } as never);
    dispatch.event({ type: 'notification.read', id: 'e3', time: '2026-01-04', data: { notificationId: 'a', status: 'read', changedAt: '2026-01-04' } } as never);
    expect(store.getSnapshot().loading).toBe(true);
    await flush();
    const { items } = store.getSnapshot();
    expect(items.map((n) => [n.id, n.status])).toEqual([['c', 'unread'], ['a', 'read']]);
    dispatch.event({ type: 'notification.dismissed', id: 'e4', time: '2026-01-05', data: { notificationId: 'c', status: 'dismissed' } } as never);
    expect(store.getSnapshot().items.map((n) => n.id)).toEqual(['a']);
  });

  it('an archive answer arriving after the stream removed the notification does not bring it back', async () => {
    const { client, dispatch } = scriptedClient();
    const list = [note('a', '2026-01-01'), note('b', '2026-01-02')];
    const api = {
      notifications: {
        list: async () => ({ items: list, nextCursor: null }),
        counts: async () => ({ unseen: 2, unread: 2, version: 5 }),
        // The server's answer: the state as timestamps (archivedAt), no `archived` flag.
        update: async (id: string) => {
          dispatch.event({ type: 'notification.archived', id: `e-${id}`, time: '2026-01-03', data: { notificationId: id } } as never);
          return { ...list.find((n) => n.id === id)!, archivedAt: '2026-01-03T00:00:00.000Z', counts: { unseen: 1, unread: 1, version: 6 } };
        },
      },
    } as unknown as PushlineApi;
    const store = createInboxStore({ client, api });
    dispatch.state('open');
    await flush();

    await store.archive('a');

    expect(store.getSnapshot().items.map((n) => n.id)).toEqual(['b']);
    expect(store.getSnapshot().unread).toBe(1);
  });
});
