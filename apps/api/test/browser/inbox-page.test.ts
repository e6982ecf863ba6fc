import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureClientBuild } from '../support/client-build.js';
import { createNotification, logIn, request, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { launchChromium, openPage, type WatchedPage } from './chromium.js';

/** Failure bounds only: Chromium and scrypt logins are slow on a busy 2-core machine. */
const TEST_TIMEOUT_MS = 120_000;
const WAIT_TIMEOUT_MS = 20_000;

type Prefs = { categories: Record<string, { critical: boolean; channels: Record<string, boolean> }> };

/**
 * The inbox page in headless Chromium: two devices of one user (two browsers, two cookie jars, two
 * streams). Whatever one does, the other shows without a reload; every wait is for a condition.
 */
describe('the inbox page', () => {
  let t: TestApi;
  let browser: Browser;
  let alice: LoggedIn;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    ensureClientBuild();
    [t, browser] = await Promise.all([startTestApi(), launchChromium()]);
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const open = async (context: BrowserContext): Promise<Page> => {
    const watched = await openPage(context, `${t.baseUrl}/`);
    pages.push(watched);
    return watched.page;
  };
  const device = async (context: BrowserContext): Promise<Page> => {
    const page = await open(context);
    await page.waitForSelector('#login-view:not([hidden])');
    await page.getByLabel('Email').fill('alice@example.com');
    await page.getByLabel('Password').fill('alice-demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#connection[data-state="live"]');
    return page;
  };
  const titlesOn = (page: Page) => page.locator('#notifications li .title').allTextContents();
  const badge = (page: Page, n: number) => page.waitForSelector(`#unread-badge[data-count="${n}"]`);
  const row = (page: Page, title: string) => page.locator('#notifications li', { hasText: title });
  /** Resolves once the list shows exactly `titles` (newest first). */
  const shows = (page: Page, titles: readonly string[]) =>
    page.waitForFunction((expected: string) => {
      // Runs in the page (no DOM types here): the list's titles, in order.
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document;
      return JSON.stringify(Array.from(doc.querySelectorAll('#notifications li .title'), (e) => e.textContent)) === expected;
    }, JSON.stringify(titles)).catch(async (error: unknown) => {
      throw new Error(`expected ${JSON.stringify(titles)}, the page shows ${JSON.stringify(await titlesOn(page))}: ${String(error)}`);
    });

  it('badge, tabs, read, archive and unarchive, snooze, read-all and a preference, live on a second device', async () => {
    const [laptopBrowser, phoneBrowser] = await Promise.all([browser.newContext(), browser.newContext({ viewport: { width: 390, height: 800 } })]);
    for (const context of [laptopBrowser, phoneBrowser]) context.setDefaultTimeout(WAIT_TIMEOUT_MS);
    const [laptop, phone] = await Promise.all([device(laptopBrowser), device(phoneBrowser)]);
    for (const title of ['First', 'Second', 'Third', 'Fourth']) await createNotification(t.baseUrl, alice.token, title);
    const all = ['Fourth', 'Third', 'Second', 'First'];
    await Promise.all([shows(laptop, all), shows(phone, all), badge(laptop, 4), badge(phone, 4)]);
    expect(await laptop.locator('#unread-badge').getAttribute('aria-live')).toBe('polite');

    // Read on the laptop → the phone's badge and item follow.
    await row(laptop, 'First').getByRole('button', { name: 'Mark “First” read' }).click();
    await Promise.all([badge(phone, 3), phone.waitForSelector('#notifications li[data-status="read"]:has-text("First")')]);

    // The unread tab on the laptop leaves out what is read.
    await laptop.getByRole('tab', { name: 'Unread' }).click();
    expect(await laptop.getByRole('tab', { name: 'Unread' }).getAttribute('aria-selected')).toBe('true');
    await shows(laptop, ['Fourth', 'Third', 'Second']);

    // Archive on the phone → gone from the laptop's unread tab; the laptop's archived tab lists it.
    await row(phone, 'Second').getByRole('button', { name: 'Archive “Second”' }).click();
    await Promise.all([shows(laptop, ['Fourth', 'Third']), badge(laptop, 2), shows(phone, ['Fourth', 'Third', 'First'])]);
    await laptop.getByRole('tab', { name: 'Archived' }).click();
    await shows(laptop, ['Second']);
    // With the laptop's archived tab open, the phone archives another: it appears there live.
    await row(phone, 'First').getByRole('button', { name: 'Archive “First”' }).click();
    await shows(laptop, ['Second', 'First']);
    // Unarchive on the laptop → back on the phone, unread again in the badge.
    await row(laptop, 'Second').getByRole('button', { name: 'Unarchive “Second”' }).click();
    await Promise.all([shows(laptop, ['First']), shows(phone, ['Fourth', 'Third', 'Second']), badge(phone, 3)]);

    // Snooze for an hour on the phone → out of both inboxes until it is due.
    await row(phone, 'Third').getByRole('button', { name: /^Snooze 1 h/ }).click();
    await laptop.getByRole('tab', { name: 'All' }).click();
    await Promise.all([shows(laptop, ['Fourth', 'Second']), shows(phone, ['Fourth', 'Second']), badge(laptop, 2)]);
    const snoozed = await request<{ items: { title: string; snoozedUntil: string }[] }>(t.baseUrl, 'GET', '/api/v1/notifications?status=snoozed', { bearer: alice.token });
    expect(snoozed.body.items.map((n) => n.title)).toEqual(['Third']);

    // Read all on the laptop → both badges 0.
    await laptop.getByRole('button', { name: 'Mark all read' }).click();
    await Promise.all([badge(laptop, 0), badge(phone, 0)]);

    // Preferences: security is locked on; muting orders' email on the phone is stored.
    await phone.locator('#preferences summary').click();
    const email = phone.getByRole('checkbox', { name: 'orders: email' });
    await email.waitFor();
    expect(await phone.getByRole('checkbox', { name: 'security: email' }).isDisabled()).toBe(true);
    expect(await email.isChecked()).toBe(true);
    await email.uncheck();
    await phone.waitForSelector('#preferences-status:has-text("Saved: orders email off")');
    const stored = await request<Prefs>(t.baseUrl, 'GET', '/api/v1/preferences', { bearer: alice.token });
    expect(stored.body.categories['orders']?.channels).toEqual({ in_app: true, email: false, web_push: true, webhook: true });
    // A fresh page (signed in by the cookie) reads it back.
    const again = await open(laptopBrowser);
    await again.waitForSelector('#connection[data-state="live"]');
    await again.locator('#preferences summary').click();
    await again.getByRole('checkbox', { name: 'orders: email' }).waitFor();
    expect(await again.getByRole('checkbox', { name: 'orders: email' }).isChecked()).toBe(false);

    expect(await titlesOn(phone)).toEqual(['Fourth', 'Second']);
    expect(pages.flatMap((p) => p.problems)).toEqual([]);
    await Promise.all([laptopBrowser.close(), phoneBrowser.close()]);
  }, TEST_TIMEOUT_MS);
});
