// Debian's Chromium driven by playwright-core: never a downloaded browser.
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumPath, screenshotsDir } from './paths';
import { log, onCleanup } from './proc';
import type { RunFolder } from './runFolder';

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Headless Debian Chromium on an offline machine: no background traffic, no sandbox as root. */
export const chromiumFlags = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // As root, Chromium refuses to start with its sandbox.
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

export async function launchBrowser(run: RunFolder, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserSession> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: run the harness install (as root it installs Debian's chromium).`);
  }
  const context = await chromium.launchPersistentContext(run.browserProfile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    env: run.env() as Record<string, string>,
    viewport: { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    // As a user allows it when the page asks: VS Code in a browser reads the clipboard through the page (1.90 gets
    // nothing without it; the desktop editor always can). Copy in the terminal and the chat uses it.
    permissions: ['clipboard-read', 'clipboard-write'],
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const browserLog = fs.createWriteStream(path.join(run.logs, 'browser-console.log'), { flags: 'a' });
  page.on('console', (message) => browserLog.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => browserLog.write(`[pageerror] ${error.message}\n`));
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) {
      return;
    }
    closed = true;
    await context.close().catch((error: Error) => log(`closing the browser: ${error.message}`));
    browserLog.end();
  };
  onCleanup(close);
  return { context, page, close };
}

/** Saves a full-page screenshot; returns its path. */
export async function screenshot(page: Page, name: string, dir = screenshotsDir): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}
