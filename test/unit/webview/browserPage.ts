// The chat view's modules need a real DOM (DOMPurify): jsdom is not a dependency, so a test bundles the modules as the
// view bundles them and runs them in Debian's headless Chromium. Tests are skipped where no Chromium is installed.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { chromiumFlags } from '../../../scripts/harness/browser';

const CHROMIUM = process.env.ANYAPI_CHROMIUM ?? '/usr/bin/chromium';
const root = path.resolve(__dirname, '../../../..');

export interface BrowserPage {
  readonly browser: Browser;
  readonly page: Page;
}

/**
 * A page holding `body` with `entry` (TypeScript importing from `./src/...`) bundled into it, or undefined when no
 * Chromium is installed.
 */
export async function openBundleInChromium(entry: string, body = ''): Promise<BrowserPage | undefined> {
  if (!fs.existsSync(CHROMIUM)) {
    return undefined;
  }
  const bundle = await esbuild.build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    // The view's stylesheets and fonts are not needed to test what it does (a test page brings the styles it needs).
    loader: { '.css': 'empty', '.ttf': 'empty' },
    logLevel: 'silent',
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumFlags });
  const page = await browser.newPage();
  await page.setContent(`<!DOCTYPE html><html><body>${body}</body></html>`);
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  return { browser, page };
}
