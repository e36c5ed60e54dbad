// The chat view's real browser code (src/webview-ui/main.ts, bundled as esbuild.js bundles it, with its CSS) in a page
// of headless Chromium, with the webview API stubbed and long tasks recorded: what the render benchmarks drive.
import * as esbuild from 'esbuild';
import * as path from 'path';
import * as fs from 'fs';
import { chromium } from 'playwright-core';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { chromiumFlags } from '../scripts/harness/browser';
import { chromiumPath } from '../scripts/harness/paths';
import type { HostMessage } from '../src/shared/protocol';
import { strings } from '../test/support/webviewStrings';

const root = path.resolve(__dirname, '../..');

/** The view's bundle and stylesheet, built as esbuild.js builds dist/webview.js (fonts left out). */
export async function bundleView(): Promise<{ js: string; css: string }> {
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'src/webview-ui/main.ts')],
    bundle: true,
    write: false,
    outdir: path.join(root, 'out', 'bench', 'view'),
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: !process.env.BENCH_PROFILE,
    loader: { '.ttf': 'empty' },
    logLevel: 'silent',
  });
  const file = (ext: string): string => result.outputFiles.find((output) => output.path.endsWith(ext))?.text ?? '';
  return { js: file('.js'), css: file('.css') };
}

/**
 * The view's own markdown renderer, alone, as `window.__renderAtOnce(markdown)` (the finished text rendered in one go,
 * the reference every stepped or streamed rendering must equal; returns its text) and `window.__renderInto(element,
 * markdown)` (the same HTML set into an element, as a view that re-renders everything would).
 */
export async function bundleReferenceRenderer(): Promise<string> {
  const result = await esbuild.build({
    stdin: {
      contents: `import { renderMarkdown } from './markdown';
window.__renderAtOnce = (markdown) => { const element = document.createElement('div'); element.innerHTML = renderMarkdown(markdown); return element.textContent; };
window.__renderInto = (element, markdown) => { element.innerHTML = renderMarkdown(markdown); };`,
      resolveDir: path.join(root, 'src/webview-ui'),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

export interface ViewPage {
  page: Page;
  cdp: CDPSession;
  send(message: HostMessage): Promise<void>;
}

export interface ViewPageOptions {
  /**
   * `manual`: animation frames run only when the page calls `window.__runFrames()` (a render right after each delta);
   * `natural`: the browser's own frames, 60 a second, with style, layout and paint as a user's view has them.
   */
  frames: 'manual' | 'natural';
}

/** A side bar's size page showing the view, `init` sent, an empty conversation `c1` open. */
export async function openViewPage(browser: Browser, view: { js: string; css: string }, options: ViewPageOptions): Promise<ViewPage> {
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="app" class="app"></div></body></html>`);
  await page.addStyleTag({ content: view.css });
  await page.evaluate((manualFrames) => {
    const win = window as unknown as Record<string, unknown>;
    win.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined });
    if (manualFrames) {
      const frames: FrameRequestCallback[] = [];
      win.requestAnimationFrame = (callback: FrameRequestCallback) => frames.push(callback);
      win.__runFrames = () => {
        while (frames.length) for (const callback of frames.splice(0)) callback(performance.now());
      };
    } else {
      win.__runFrames = () => undefined;
    }
    win.__longTasks = [] as number[];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) (win.__longTasks as number[]).push(entry.duration);
    }).observe({ type: 'longtask' });
  }, options.frames === 'manual');
  await page.addScriptTag({ content: view.js });
  const send = (message: HostMessage): Promise<void> =>
    page.evaluate((data) => void window.dispatchEvent(new MessageEvent('message', { data })), message);
  await send({ type: 'init', strings, status: { hasKey: true, model: 'gpt-5.1' }, conversation: { id: 'c1', title: 'Bench', turns: [] }, chips: [] });
  return { page, cdp, send };
}

export interface Heap {
  /** V8's heap: the script's objects and strings (what DevTools calls the JS heap). */
  js: number;
  /** Blink's heap (Oilpan): the DOM's nodes and their text. */
  dom: number;
}

/** The page's heaps after a full collection, in bytes. */
export async function heapAfterCollection(cdp: CDPSession): Promise<Heap> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number };
  return { js: usage.usedSize, dom: usage.embedderHeapUsedSize ?? 0 };
}

/** The main thread's work so far, from Chromium's own counters, in ms. */
export interface MainThreadWork {
  /** Every task: script, style, layout, paint, collection. */
  taskMs: number;
  /** Script, style and layout: the work of putting the answer into the DOM (not painting frames). */
  renderMs: number;
}

export async function mainThreadWork(cdp: CDPSession): Promise<MainThreadWork> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const value = (name: string): number => (metrics.find((metric) => metric.name === name)?.value ?? 0) * 1000;
  return { taskMs: value('TaskDuration'), renderMs: value('ScriptDuration') + value('RecalcStyleDuration') + value('LayoutDuration') };
}

export function workBetween(before: MainThreadWork, after: MainThreadWork): MainThreadWork {
  return { taskMs: after.taskMs - before.taskMs, renderMs: after.renderMs - before.renderMs };
}

/**
 * Runs a Chromium benchmark: Debian's Chromium launched and closed around `work`, which says whether every target
 * was met. A missed target or an error fails the process.
 */
export function runInChromium(work: (browser: Browser) => Promise<boolean>): void {
  const run = async (): Promise<boolean> => {
    if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}`);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
    try {
      return await work(browser);
    } finally {
      await browser.close();
    }
  };
  run().then(
    (ok) => (process.exitCode = ok ? 0 : 1),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
