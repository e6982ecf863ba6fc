import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StreamHub } from '@pushline/stream-engine';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { startTestApi, type TestApi } from '../support/test-api.js';
import { launchChromium, openPage, type WatchedPage } from './chromium.js';

/** Failure bounds only: Chromium and scrypt logins are slow on a busy 2-core machine. */
const TEST_TIMEOUT_MS = 60_000;
const WAIT_TIMEOUT_MS = 15_000;

const SCREENSHOT = fileURLToPath(new URL('../../../../tmp/web-page.png', import.meta.url));

/**
 * The browser path end to end: the page served by the API, in headless Chromium, authenticated only
 * by the HTTP-only session cookie. Alice has two tabs in one browser (one cookie jar); Bob has his own.
 */
describe('the web page in a real browser', () => {
  let t: TestApi;
  /** Tokens live 6 s, and `stream.reauth` comes 4 s before that: 2 s after each login or refresh. */
  let shortSessions: TestApi;
  let browser: Browser;
  const pages: WatchedPage[] = [];

  const open = async (context: BrowserContext, api = t): Promise<Page> => {
    const watched = await openPage(context, `${api.baseUrl}/`);
    pages.push(watched);
    return watched.page;
  };

  const logInOn = async (page: Page, email: string, password: string): Promise<void> => {
    await page.waitForSelector('#login-view:not([hidden])');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitLive(page);
  };

  const waitLive = (page: Page) => page.waitForSelector('#connection[data-state="live"]');
  const item = (page: Page, id: string) => page.locator(`#notifications li[data-id="${id}"]`);

  beforeAll(async () => {
    [t, shortSessions, browser] = await Promise.all([
      startTestApi(),
      startTestApi({ env: { JWT_TTL_SECONDS: '6', STREAM_REAUTH_LEAD_MS: '4000' } }),
      launchChromium(),
    ]);
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([t?.stop(), shortSessions?.stop()]);
  });

  it('serves the page at / under a strict Content-Security-Policy', async () => {
    const res = await fetch(`${t.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<script type="module" src="app.js"></script>');
    expect((await fetch(`${t.baseUrl}/app.js`)).headers.get('content-type')).toMatch(/javascript/);
  });

  it('pushes to both tabs of a browser and to no other user; logging out closes the streams', async () => {
    const aliceBrowser = await browser.newContext();
    const bobBrowser = await browser.newContext();
    for (const context of [aliceBrowser, bobBrowser]) context.setDefaultTimeout(WAIT_TIMEOUT_MS);

    const [tab1, bob] = await Promise.all([open(aliceBrowser), open(bobBrowser)]);
    await Promise.all([
      logInOn(tab1, 'alice@example.com', 'alice-demo-password'),
      logInOn(bob, 'bob@example.com', 'bob-demo-password'),
    ]);
    // The second tab signs in by the cookie alone: no login form.
    const tab2 = await open(aliceBrowser);
    await waitLive(tab2);
    expect(await tab2.locator('#login-view').isHidden()).toBe(true);
    expect(await tab2.locator('#user-email').textContent()).toBe('alice@example.com');

    // The token never reaches scripts: only the browser holds the cookie.
    const [cookie] = (await aliceBrowser.cookies()).filter((c) => c.name === 'pushline_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(await tab1.evaluate('document.cookie')).not.toContain('pushline_session');

    await tab1.getByLabel('New test notification').fill('Hello from tab 1');
    await tab1.getByRole('button', { name: 'Send' }).click();
    // Tab 2 did nothing: what it shows came over its stream.
    const arrived = tab2.locator('#notifications li', { hasText: 'Hello from tab 1' });
    await arrived.waitFor();
    const id = await arrived.getAttribute('data-id');
    if (!id) throw new Error('the list item carries no data-id');
    await item(tab1, id).waitFor();
    expect(await item(tab2, id).getAttribute('data-status')).toBe('unread');

    // Bob's own notification arrives after Alice's was published: by then Alice's would have too.
    await bob.getByLabel('New test notification').fill('Bob only');
    await bob.getByRole('button', { name: 'Send' }).click();
    await bob.locator('#notifications li', { hasText: 'Bob only' }).waitFor();
    expect(await item(bob, id).count()).toBe(0);
    expect(await bob.locator('#notifications li', { hasText: 'Hello from tab 1' }).count()).toBe(0);

    await item(tab2, id).getByRole('button', { name: /Mark .* read/ }).click();
    await tab1.waitForSelector(`#notifications li[data-id="${id}"][data-status="read"]`);
    // Shown once in each tab, whatever came by POST response, list and stream.
    expect(await item(tab1, id).count()).toBe(1);
    expect(await item(tab2, id).count()).toBe(1);

    // For a person to look at; not compared.
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await tab1.screenshot({ path: SCREENSHOT, fullPage: true });

    const hub = t.api.services.get(StreamHub);
    // Alice's two tabs share one stream (the SDK's tab sharing); Bob has his own.
    expect(hub.stats().devices).toBe(2);
    await tab1.getByRole('button', { name: 'Sign out' }).click();
    // Tab 2 shared the session: the server's `stream.closed` (reconnect: false) signs it out too.
    for (const tab of [tab1, tab2]) {
      await tab.waitForSelector('#connection[data-state="closed"]');
      await tab.waitForSelector('#login-view:not([hidden])');
      expect(await tab.locator('#notifications li').count()).toBe(0);
    }
    expect(hub.stats().devices).toBe(1);
    expect(await bob.locator('#connection').getAttribute('data-state')).toBe('live');

    expect(pages.flatMap((p) => p.problems)).toEqual([]);
    await Promise.all([aliceBrowser.close(), bobBrowser.close()]);
  }, TEST_TIMEOUT_MS);

  it('on stream.reauth refreshes and reopens the stream; where it cannot, warns, then signs out at expiry', async () => {
    // Two browsers at once, on the short-session server: one refreshes, one cannot.
    const [refreshing, refused] = await Promise.all([browser.newContext(), browser.newContext()]);
    for (const context of [refreshing, refused]) context.setDefaultTimeout(WAIT_TIMEOUT_MS);
    // An API without the refresh route (or one refusing it): the page must take the fallback path.
    await refused.route('**/api/v1/auth/refresh', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{}' }));

    const refreshes = async (): Promise<void> => {
      const page = await open(refreshing, shortSessions);
      const refreshed = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200);
      const first = refreshed();
      await logInOn(page, 'alice@example.com', 'alice-demo-password');
      await first;
      // The old stream was closed on refresh: this second reauth can only come over the reopened one...
      await refreshed();
      // ...and the page opens a third, live again on the newest cookie.
      await waitLive(page);
      expect(await page.locator('#login-view').isHidden()).toBe(true);
      expect(await page.locator('#notice').isHidden()).toBe(true);
    };

    const expires = async (): Promise<void> => {
      const page = await open(refused, shortSessions);
      await logInOn(page, 'bob@example.com', 'bob-demo-password');
      await page.waitForSelector('#notice:not([hidden]):has-text("Session expiring")');
      expect(await page.locator('#connection').getAttribute('data-state')).toBe('live');
      // The server ends the stream with `stream.closed` (token_expired, reconnect: false).
      await page.waitForSelector('#notice:not([hidden]):has-text("session expired")');
      expect(await page.locator('#connection').getAttribute('data-state')).toBe('closed');
      expect(await page.locator('#login-view').isVisible()).toBe(true);
    };

    await Promise.all([refreshes(), expires()]);
    expect(pages.flatMap((p) => p.problems)).toEqual([]);
    await Promise.all([refreshing.close(), refused.close()]);
  }, TEST_TIMEOUT_MS);
});
