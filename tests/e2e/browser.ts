import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

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
