import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureClientBuild } from '../support/client-build.js';
import { createNotification, logIn, request } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { launchChromium, openPage, type WatchedPage } from './chromium.js';

const TEST_TIMEOUT_MS = 90_000;
const WAIT_TIMEOUT_MS = 20_000;
const ADMIN_TOKEN = 'admin-token-for-the-tab-test';

/**
 * One connection per browser: the demo page runs the SDK with `shareAcrossTabs`, so of five tabs one
 * (the Web Lock holder) keeps the stream and relays it over BroadcastChannel. Counted on the server
 * with `GET /api/v1/admin/stats` (`totalDevices`).
 */
describe('tab sharing in a real browser', () => {
  let t: TestApi;
  let browser: Browser;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    ensureClientBuild();
    [t, browser] = await Promise.all([startTestApi({ env: { ADMIN_TOKEN } }), launchChromium()]);
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const totalDevices = async (): Promise<number> =>
    (await request<{ totalDevices: number }>(t.baseUrl, 'GET', '/api/v1/admin/stats', { bearer: ADMIN_TOKEN })).body.totalDevices;

  /** Waits, by re-asking the server after each page event, until the count is `n`. */
  const waitForDevices = async (n: number): Promise<void> => {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    let last = -1;
    while ((last = await totalDevices()) !== n) {
      if (Date.now() > deadline) throw new Error(`totalDevices stayed ${last}, expected ${n}`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  const open = async (context: BrowserContext): Promise<Page> => {
    const watched = await openPage(context, `${t.baseUrl}/`);
    pages.push(watched);
    return watched.page;
  };
  const waitLive = (page: Page) => page.waitForSelector('#connection[data-state="live"]');
  const signedIn = async (context: BrowserContext, email: string, password: string): Promise<Page> => {
    const page = await open(context);
    await page.waitForSelector('#login-view:not([hidden])');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitLive(page);
    return page;
  };
  const titlesOn = (page: Page) => page.locator('#notifications li .title').allTextContents();
  const roleOf = (page: Page): Promise<string | null> => page.locator('html').getAttribute('data-role');

  it('five tabs → one stream at the server; every tab shows each notification once; the leader closes → another takes over with no gap; another user sees none; read in one tab → the badge in all', async () => {
    const alice = await browser.newContext();
    const bob = await browser.newContext();
    for (const c of [alice, bob]) c.setDefaultTimeout(WAIT_TIMEOUT_MS);
    const first = await signedIn(alice, 'alice@example.com', 'alice-demo-password');
    const tabs = [first, ...(await Promise.all([1, 2, 3, 4].map(() => open(alice))))];
    for (const tab of tabs) await waitLive(tab);
    // Five tabs, one stream: exactly one connection reaches the server.
    await waitForDevices(1);

    const bobTab = await signedIn(bob, 'bob@example.com', 'bob-demo-password');

    // Bob's browser: one more.
    await waitForDevices(2);
    const roles = await Promise.all(tabs.map(roleOf));
    expect(roles.filter((r) => r === 'leader')).toHaveLength(1);
    expect(roles.filter((r) => r === 'follower')).toHaveLength(4);

    const token = (await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password')).token;
    const create = (title: string) => createNotification(t.baseUrl, token, title);
    const showAll = async (pagesToCheck: Page[], titles: string[]) => {
      for (const page of pagesToCheck) {
        for (const title of titles) await page.locator('#notifications li', { hasText: title }).first().waitFor();
      }
    };

    await create('Shared 1');
    await create('Shared 2');
    await showAll(tabs, ['Shared 1', 'Shared 2']);

    // Close the leader, and create events at once, while no tab holds the stream.
    const leaderIndex = roles.indexOf('leader');
    await tabs[leaderIndex]!.close();
    const rest = tabs.filter((_, i) => i !== leaderIndex);
    const during = ['Hand-over 1', 'Hand-over 2', 'Hand-over 3'];
    for (const title of during) await create(title);
    await showAll(rest, during);
    await create('After the hand-over');
    await showAll(rest, ['After the hand-over']);
    const expected = ['After the hand-over', ...[...during].reverse(), 'Shared 2', 'Shared 1'];
    for (const tab of rest) expect(await titlesOn(tab)).toEqual(expected); // each once, newest first
    const newRoles = await Promise.all(rest.map(roleOf));
    expect(newRoles.filter((r) => r === 'leader')).toHaveLength(1);
    await waitForDevices(2);

    // Bob's browser got none of it.
    expect(await titlesOn(bobTab)).toEqual([]);

    // The badge: read in one tab, the count drops in every tab.
    for (const tab of rest) await tab.waitForSelector(`#unread-badge[data-count="${expected.length}"]`);
    await rest[0]!.locator('#notifications li', { hasText: 'Shared 1' }).getByRole('button', { name: /Mark .* read/ }).click();
    for (const tab of rest) await tab.waitForSelector(`#unread-badge[data-count="${expected.length - 1}"]`);
    await rest[1]!.getByRole('button', { name: 'Mark all read' }).click();
    for (const tab of rest) await tab.waitForSelector('#unread-badge[data-count="0"]');
    expect(await bobTab.locator('#unread-badge').getAttribute('data-count')).toBe('0');

    expect(pages.flatMap((p) => p.problems)).toEqual([]);
    await Promise.all([alice.close(), bob.close()]);
  }, TEST_TIMEOUT_MS);

  it('where Web Locks are missing, each tab keeps its own stream (the per-tab fallback), and still gets every event', async () => {
    const old = await browser.newContext();
    old.setDefaultTimeout(WAIT_TIMEOUT_MS);
    // A browser without the Web Locks API.
    await old.addInitScript('delete Navigator.prototype.locks');
    const tab1 = await signedIn(old, 'bob@example.com', 'bob-demo-password');
    const tab2 = await open(old);
    await waitLive(tab2);
    expect([await roleOf(tab1), await roleOf(tab2)]).toEqual(['solo', 'solo']);
    await waitForDevices(2);
    const token = (await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password')).token;
    await createNotification(t.baseUrl, token, 'To each tab');
    for (const tab of [tab1, tab2]) await tab.locator('#notifications li', { hasText: 'To each tab' }).waitFor();
    expect(pages.flatMap((p) => p.problems)).toEqual([]);
    await old.close();
  }, TEST_TIMEOUT_MS);

});
