import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The distribution's Chromium (.ci/lib/services.sh installs it): never a browser download of Playwright's own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * A page that records what would otherwise only show in the browser's console: uncaught errors and
 * Content-Security-Policy violations (the page must run under `script-src 'self'`).
 */
export interface WatchedPage {
  readonly page: Page;
  readonly problems: string[];
}

export async function openPage(context: BrowserContext, url: string): Promise<WatchedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}
