import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import type { startTestServer } from '../integration/helpers/test-server.js';
import { useTestServer, type TestServer } from '../integration/helpers/test-server.js';

export const E2E_OUTPUT = join(resolve(dirname(fileURLToPath(import.meta.url))), 'output');

/** Debian's Chromium, headless, with the flags this closed network needs; never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(E2E_OUTPUT, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Starts a seeded test server and Chromium before the file's tests and stops both after. */
export function useServerAndBrowser(opts: Parameters<typeof startTestServer>[0] = {}): {
  server: () => TestServer;
  browser: () => Browser;
} {
  let browser: Browser | undefined;
  const server = useTestServer(opts, async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  return { server, browser: () => browser! };
}

/** Opens the app and logs in through the login form. */
export async function logIn(browser: Browser, url: string, username: string, password: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  return page;
}
