import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPushlineApi, createPushlineClient, type NotificationCreatedEvent } from '@pushline/client';
import { PushlineProvider, useEvent, useNotifications } from '@pushline/client-react';
import { JSDOM } from 'jsdom';
import { createElement as h, StrictMode, useEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { Conditions } from '../support/conditions.js';
import { createNotification, logIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/**
 * The React bindings in a real DOM (jsdom) against a real server: what the hooks render is what a
 * user would see, and every wait is on a render, never a timer.
 */
describe('@pushline/client-react', () => {
  let t: TestApi;
  let dom: JSDOM;
  const renders = new Conditions();

  beforeAll(async () => {
    dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/', pretendToBeVisual: true });
    Object.assign(globalThis, { window: dom.window, document: dom.window.document, IS_REACT_ACT_ENVIRONMENT: false });
    t = await startTestApi();
  });
  afterAll(async () => {
    await t?.stop();
    dom?.window.close();
    for (const key of ['window', 'document']) delete (globalThis as Record<string, unknown>)[key];
  });

  /** The component an app would write: badge, list, state, buttons; and a `useEvent` log. */
  function Inbox({ seen }: { seen: NotificationCreatedEvent[] }) {
    const inbox = useNotifications();
    useEvent('notification.created', (event) => {
      seen.push(event);
      renders.notify();
    });
    useEffect(() => renders.notify()); // after each commit: the DOM shows this render
    return h(
      'div',
      { id: 'inbox', 'data-state': inbox.state, 'data-loading': String(inbox.loading) },
      h('span', { id: 'badge' }, String(inbox.unread)),
      h(
        'ul',
        null,
        inbox.items.map((n) =>
          h(
            'li',
            { key: n.id, 'data-id': n.id, 'data-status': n.status },
            n.title,
            h('button', { className: 'read', onClick: () => void inbox.markRead(n.id) }, 'read'),
            h('button', { className: 'archive', onClick: () => void inbox.archive(n.id) }, 'archive'),
          ),
        ),
      ),
      h('button', { id: 'read-all', onClick: () => void inbox.markAllRead() }, 'read all'),
    );
  }

  const $ = (selector: string) => dom.window.document.querySelector(selector);
  const $$ = (selector: string) => [...dom.window.document.querySelectorAll(selector)] as any[];
  const waitFor = (condition: () => boolean, what: string) =>
    renders.waitUntil(condition, () => `${what}; DOM: ${dom.window.document.body.innerHTML}`, 15_000);
  const click = (element: any) => element.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true }));

  it('useNotifications: the list, badge and state live from the stream; markRead, archive and markAllRead change them', async () => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const create = (title: string) => createNotification(t.baseUrl, alice.token, title);
    await create('Before the page');

    const client = createPushlineClient({ baseUrl: t.baseUrl, token: alice.token });
    const api = createPushlineApi({ baseUrl: t.baseUrl, token: alice.token });
    const seen: NotificationCreatedEvent[] = [];
    const container = dom.window.document.createElement('div');
    dom.window.document.body.append(container);
    const root: Root = createRoot(container);
    root.render(h(StrictMode, null, h(PushlineProvider, { client, api }, h(Inbox, { seen }))));
    try {
      await waitFor(() => $('#inbox')?.getAttribute('data-state') === 'open' && $('#inbox')?.getAttribute('data-loading') === 'false', 'open and loaded');
      expect($$('li').map((li) => li.textContent)).toEqual(['Before the pagereadarchive']);
      expect($('#badge')!.textContent).toBe('1');

      await create('Live 1');
      await waitFor(() => $$('li').length === 2, 'the live notification');
      expect($('#badge')!.textContent).toBe('2');
      expect(seen.map((e) => e.data.title)).toEqual(['Live 1']);
      expect(seen[0]!.data.priority).toBe('normal');

      const live = $$('li').find((li) => li.textContent.startsWith('Live 1'));
      click(live.querySelector('.read'));
      await waitFor(() => live.getAttribute('data-status') === 'read' && $('#badge')!.textContent === '1', 'read');

      click($$('li').find((li) => li.textContent.startsWith('Before')).querySelector('.archive'));
      await waitFor(() => $$('li').length === 1, 'archived');

      await create('Live 2');
      await create('Live 3');
      await waitFor(() => $('#badge')!.textContent === '2', 'two unread');
      click($('#read-all'));
      await waitFor(() => $('#badge')!.textContent === '0' && $$('li[data-status="unread"]').length === 0, 'all read');
      expect(seen.map((e) => e.data.title)).toEqual(['Live 1', 'Live 2', 'Live 3']);
    } finally {
      root.unmount();
      client.close();
    }
  });

  it('PushlineProvider with options creates the client, and closes its connection on unmount', async () => {
    const bob = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
    const container = dom.window.document.createElement('div');
    dom.window.document.body.append(container);
    const root = createRoot(container);
    const seen: NotificationCreatedEvent[] = [];
    // Every stream request the provider's client makes, and whether it was aborted since.
    const streams: { aborted: boolean }[] = [];
    const observingFetch = (input: string, init?: RequestInit): Promise<Response> => {
      if (input.includes('/stream')) {
        const stream = { aborted: false };
        streams.push(stream);
        init?.signal?.addEventListener('abort', () => {
          stream.aborted = true;
          renders.notify();
        });
      }
      return fetch(input, init);
    };
    root.render(h(PushlineProvider, { options: { baseUrl: t.baseUrl, token: bob.token, fetch: observingFetch } }, h(Inbox, { seen })));
    await waitFor(() => container.querySelector('#inbox')?.getAttribute('data-state') === 'open', 'open');
    expect(streams).toEqual([{ aborted: false }]);
    await createNotification(t.baseUrl, bob.token, 'For Bob');
    await waitFor(() => seen.length === 1, 'the event through the provider-made client');
    root.unmount();
    await waitFor(() => streams.every((s) => s.aborted), 'the stream closed on unmount');
  });
});
