// Streams a 500 KB answer through the chat view's real browser code (src/webview-ui/main.ts, bundled as the view
// bundles it, with its CSS) in headless Chromium, the way the host drives it: `init`, `turnStarted`, `delta`…,
// `done`. Every delta gets its own task and its own render (animation frames are run right after each delta, a
// worse case than the view meets, where the host coalesces deltas per 16 ms), and the targets check that the cost
// of a delta does not grow with the answer, that no task blocks the view, and that the DOM and heap stay bounded.
//   node out/bench/renderStream.bench.js
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { chromiumFlags } from '../scripts/harness/browser';
import { chromiumPath } from '../scripts/harness/paths';
import type { ConversationView, HostMessage, TurnView } from '../src/shared/protocol';
import { longAnswer, splitDeltas } from '../test/support/fakeAnswers';
import { strings } from '../test/support/webviewStrings';
import { report } from './report';
import { writeResults } from './results';

const ANSWER_BYTES = 500_000;
const DELTA_CHARS = 96;
const WARM_UP_BYTES = 50_000;
const root = path.resolve(__dirname, '../..');


/** The view's bundle and stylesheet, built as esbuild.js builds dist/webview.js (fonts left out). */
async function bundleView(): Promise<{ js: string; css: string }> {
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'src/webview-ui/main.ts')],
    bundle: true,
    write: false,
    outdir: path.join(root, 'out', 'bench', 'view'),
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    loader: { '.ttf': 'empty' },
    logLevel: 'silent',
  });
  const file = (ext: string): string => result.outputFiles.find((output) => output.path.endsWith(ext))?.text ?? '';
  return { js: file('.js'), css: file('.css') };
}

/**
 * The view's own markdown renderer, alone, as `window.__renderAtOnce(markdown)`: the finished text rendered in one go,
 * the reference every stepped or streamed rendering must equal.
 */
async function bundleReferenceRenderer(): Promise<string> {
  const result = await esbuild.build({
    stdin: {
      contents: `import { renderMarkdown } from './markdown';
window.__renderAtOnce = (markdown) => { const element = document.createElement('div'); element.innerHTML = renderMarkdown(markdown); return element.textContent; };`,
      resolveDir: path.join(root, 'src/webview-ui'),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const HISTORY_TURNS = 200;
const HISTORY_ANSWER_BYTES = 2_500;

function squashText(text: string): string {
  return text.replace(/\s+/g, '');
}

interface Opened {
  /** From the message to the turn `lastId` holding text, laid out. */
  shownMs: number;
  /** From the message to the answer of `lastId` rendered whole (`waitWhole`), else as shownMs. */
  wholeMs: number;
  longestTaskMs: number;
  renderedTurns: number;
  text: string;
}

/** Sends `conversation` as the host does when one is opened, and measures how soon it is on screen. */
async function openConversation(page: Page, collectGarbage: () => Promise<void>, conversation: ConversationView, lastId: string, waitWhole: boolean): Promise<Opened> {
  // Opened from an empty conversation, the one shown before collected: taking it down is not part of opening this one.
  await page.evaluate(async () => {
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'conversation', conversation: { id: 'empty', title: '', turns: [] } } }));
    await new Promise((resolve) => setTimeout(resolve, 500));
  });
  await collectGarbage();
  return page.evaluate(
    async ({ conversation, lastId, waitWhole }) => {
      const win = window as unknown as { __runFrames(): void; __longTasks: number[] };
      const nextTask = (): Promise<void> =>
        new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(0);
        });
      const answerOf = (): HTMLElement | null => document.querySelector(`section[data-turn-id="${lastId}"] .answer .markdown`);
      await nextTask();
      win.__longTasks.length = 0;
      const started = performance.now();
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'conversation', conversation } }));
      win.__runFrames();
      while (!answerOf()?.textContent) await nextTask();
      void document.body.offsetHeight;
      const shownMs = performance.now() - started;
      if (waitWhole) {
        while (answerOf()?.parentElement?.hasAttribute('aria-busy')) {
          win.__runFrames();
          await nextTask();
        }
      }
      const wholeMs = performance.now() - started;
      // Long tasks are reported asynchronously: give the observer a moment.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return {
        shownMs,
        wholeMs,
        longestTaskMs: Math.max(0, ...win.__longTasks),
        renderedTurns: document.querySelectorAll('section.turn:not(.deferred)').length,
        // The answer's own text: the code blocks' toolbars (their language label) left out.
        text: (() => {
          const copy = answerOf()?.cloneNode(true) as HTMLElement | undefined;
          for (const toolbar of Array.from(copy?.querySelectorAll('.code-toolbar, .code-warning') ?? [])) toolbar.remove();
          return copy?.textContent ?? '';
        })(),
      };
    },
    { conversation, lastId, waitWhole },
  );
}

function turn(id: string, question: string, answer: string, state: TurnView['state']): TurnView {
  return { id, question, answer, state, ...(state === 'streaming' ? {} : { model: 'gpt-5.1', usage: { inputTokens: 10, outputTokens: 1000, totalTokens: 1010 } }) };
}

interface StreamResult {
  deltaMs: number[];
  doneMs: number;
  longTasks: number[];
  domNodes: number;
  blocks: number;
  codeBlocks: number;
  text: string;
}

async function main(): Promise<void> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}`);
  }
  const view = await bundleView();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumFlags,
  });
  try {
    // A side bar's size: narrow and tall.
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="app" class="app"></div></body></html>`);
    await page.addStyleTag({ content: view.css });
    // The webview API, and animation frames the benchmark runs itself right after each delta.
    await page.evaluate(() => {
      const win = window as unknown as Record<string, unknown>;
      const frames: FrameRequestCallback[] = [];
      win.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined });
      win.requestAnimationFrame = (callback: FrameRequestCallback) => frames.push(callback);
      win.__runFrames = () => {
        while (frames.length) for (const callback of frames.splice(0)) callback(performance.now());
      };
      win.__longTasks = [] as number[];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) (win.__longTasks as number[]).push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    await page.addScriptTag({ content: view.js });
    const send = (message: HostMessage): Promise<void> =>
      page.evaluate((data) => void window.dispatchEvent(new MessageEvent('message', { data })), message);
    await send({ type: 'init', strings, status: { hasKey: true, model: 'gpt-5.1' }, conversation: { id: 'c1', title: 'Bench', turns: [] } });

    /** Streams `answer` as turn `id` of conversation c1, one task per delta; measures each delta's work. */
    const stream = async (id: string, answer: string): Promise<StreamResult> => {
      await send({ type: 'turnStarted', conversationId: 'c1', turn: turn(id, 'Stream a long answer', '', 'streaming') });
      return page.evaluate(
        async ({ id, deltas, done }) => {
          const win = window as unknown as { __runFrames(): void; __longTasks: number[] };
          const deliver = (data: unknown): void => void window.dispatchEvent(new MessageEvent('message', { data }));
          const nextTask = (): Promise<void> =>
            new Promise((resolve) => {
              const channel = new MessageChannel();
              channel.port1.onmessage = () => resolve();
              channel.port2.postMessage(0);
            });
          win.__longTasks.length = 0;
          const deltaMs: number[] = [];
          for (const text of deltas) {
            const started = performance.now();
            deliver({ type: 'delta', conversationId: 'c1', turnId: id, text });
            win.__runFrames();
            deltaMs.push(performance.now() - started);
            await nextTask();
          }
          const started = performance.now();
          deliver(done);
          win.__runFrames();
          const doneMs = performance.now() - started;
          await nextTask();
          // Long tasks are reported asynchronously: give the observer a moment.
          await new Promise((resolve) => setTimeout(resolve, 200));
          const body = document.querySelector(`section[data-turn-id="${id}"] .answer .markdown`);
          return {
            deltaMs,
            doneMs,
            longTasks: [...win.__longTasks],
            domNodes: document.getElementsByTagName('*').length,
            blocks: body?.querySelectorAll('.block').length ?? 0,
            codeBlocks: body?.querySelectorAll('.code-block').length ?? 0,
            text: body?.textContent ?? '',
          };
        },
        { id, deltas: splitDeltas(answer, DELTA_CHARS), done: { type: 'done', conversationId: 'c1', turn: turn(id, 'Stream a long answer', answer, 'done') } as HostMessage },
      );
    };
    const heapUsed = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };

    // Warm up the JIT on a shorter answer, then start over with an empty conversation.
    await stream('warm-up', longAnswer(WARM_UP_BYTES));
    await send({ type: 'conversation', conversation: { id: 'c1', title: 'Bench', turns: [] } });
    const heapBefore = await heapUsed();
    const answer = longAnswer(ANSWER_BYTES);
    const started = Date.now();
    const result = await stream('t1', answer);
    const elapsedMs = Date.now() - started;
    const heapAfter = await heapUsed();

    // The same answer opened as a finished answer (after a reload, say): the reference for the DOM and the text.
    // It is rendered in steps, a few milliseconds each: measured are the time until it is whole and the longest task.
    const collectGarbage = async (): Promise<void> => void (await cdp.send('HeapProfiler.collectGarbage'));
    const opened = await openConversation(page, collectGarbage, { id: 'c-long', title: 'Bench', turns: [turn('t1', 'Stream a long answer', answer, 'done')] }, 't1', true);
    const reference = await page.evaluate(() => ({
      domNodes: document.getElementsByTagName('*').length,
      codeBlocks: document.querySelectorAll('.answer .markdown .code-block').length,
      text: document.querySelector('.answer .markdown')?.textContent ?? '',
    }));
    // A conversation of 200 turns: its latest turns are on screen at once, the older ones render when scrolled to.
    const historyTurns = Array.from({ length: HISTORY_TURNS }, (_, i) => turn(`h${i}`, `Question ${i} about the code`, longAnswer(HISTORY_ANSWER_BYTES), 'done'));
    const history = await openConversation(page, collectGarbage, { id: 'c-history', title: 'History', turns: historyTurns }, `h${HISTORY_TURNS - 1}`, false);
    await page.addScriptTag({ content: await bundleReferenceRenderer() });
    const referenceText = squashText(await page.evaluate((markdown) => (window as unknown as { __renderAtOnce(md: string): string }).__renderAtOnce(markdown), answer));

    const deltas = result.deltaMs;
    const tenth = Math.max(1, Math.floor(deltas.length / 10));
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const firstTenth = deltas.slice(0, tenth);
    const lastTenth = deltas.slice(-tenth);
    const renderMs = deltas.reduce((sum, value) => sum + value, 0) + result.doneMs;
    const maxTask = Math.max(0, ...result.longTasks);
    const squash = squashText;
    const fenceCount = (answer.match(/^```\w+$/gm) ?? []).length;
    const ok = report('chat view: render a streamed 500 KB answer in Chromium', [
      { name: 'answer bytes', value: Buffer.byteLength(answer), target: `>= ${ANSWER_BYTES}`, pass: Buffer.byteLength(answer) >= ANSWER_BYTES },
      { name: 'deltas (one render each)', value: deltas.length, target: '> 4000', pass: deltas.length > 4000 },
      { name: 'mean ms per delta, first tenth', value: +mean(firstTenth).toFixed(3), target: 'reference', pass: true },
      { name: 'mean ms per delta, last tenth', value: +mean(lastTenth).toFixed(3), target: 'reference', pass: true },
      {
        name: 'mean ms per delta, last tenth / first tenth',
        value: +(mean(lastTenth) / mean(firstTenth)).toFixed(2),
        target: '< 3 (a delta costs the same late in the answer)',
        pass: mean(lastTenth) / mean(firstTenth) < 3,
      },
      {
        name: 'median ms per delta, last tenth / first tenth',
        value: +(median(lastTenth) / median(firstTenth)).toFixed(2),
        target: '< 3',
        pass: median(lastTenth) / median(firstTenth) < 3,
      },
      { name: 'mean ms per delta', value: +mean(deltas).toFixed(3), target: '< 8 (half a frame at 60 Hz)', pass: mean(deltas) < 8 },
      { name: 'slowest delta ms', value: +Math.max(...deltas).toFixed(1), target: 'reference (a long task if > 50)', pass: true },
      { name: 'done (finish the answer) ms', value: +result.doneMs.toFixed(1), target: '< 100', pass: result.doneMs < 100 },
      { name: 'long tasks (> 50 ms)', value: result.longTasks.length, target: 'reference', pass: true },
      { name: 'longest task ms', value: Math.round(maxTask), target: '< 100 (the view never stalls)', pass: maxTask < 100 },
      { name: 'render ms in total', value: Math.round(renderMs), target: 'reference', pass: true },
      { name: 'wall ms in total (with task switches)', value: elapsedMs, target: '< 60000', pass: elapsedMs < 60_000 },
      { name: 'frozen blocks', value: result.blocks, target: '> 1000 (rendered block by block)', pass: result.blocks > 1000 },
      {
        name: 'code blocks with toolbars',
        value: result.codeBlocks,
        target: `= ${fenceCount} (every fence in the answer)`,
        pass: result.codeBlocks === fenceCount && reference.codeBlocks === fenceCount,
      },
      {
        name: 'same text streamed, opened in steps, and rendered at once',
        value: squash(result.text) === squash(reference.text) ? 'yes' : 'no',
        target: 'yes',
        pass: squash(result.text) === squash(reference.text) && squash(opened.text) === referenceText,
      },
      {
        name: 'DOM nodes, streamed / rendered at once',
        value: `${result.domNodes} / ${reference.domNodes}`,
        target: 'ratio < 1.2',
        pass: result.domNodes / reference.domNodes < 1.2,
      },
      {
        name: 'heap growth MB (after GC)',
        value: +((heapAfter - heapBefore) / 1e6).toFixed(1),
        target: '< 60',
        pass: heapAfter - heapBefore < 60e6,
      },
    ]);
    const answerBytes = Buffer.byteLength(answer);
    const historyOk = report(`chat view: open a conversation (${HISTORY_TURNS} turns; one ${Math.round(answerBytes / 1000)} KB answer)`, [
      { name: 'history.openMs: 200 turns, until the latest turn is on screen', value: +history.shownMs.toFixed(1), target: '<= 300', pass: history.shownMs <= 300 },
      {
        name: 'longest task opening the 200 turns ms',
        value: Math.round(history.longestTaskMs),
        target: '<= 50',
        pass: history.longestTaskMs <= 50,
      },
      { name: 'turns rendered at open (the rest when scrolled to)', value: history.renderedTurns, target: `< ${HISTORY_TURNS}`, pass: history.renderedTurns < HISTORY_TURNS },
      { name: 'history.longestTaskMs: opening the 500 KB answer', value: Math.round(opened.longestTaskMs), target: '<= 50', pass: opened.longestTaskMs <= 50 },
      { name: 'opening the 500 KB answer: first text on screen ms', value: +opened.shownMs.toFixed(1), target: 'reference', pass: true },
      { name: 'opening the 500 KB answer: whole ms', value: Math.round(opened.wholeMs), target: 'reference', pass: true },
    ]);
    writeResults({
      'history.openMs': +history.shownMs.toFixed(1),
      'history.longestTaskMs': Math.round(Math.max(history.longestTaskMs, opened.longestTaskMs)),
    });
    process.exitCode = ok && historyOk ? 0 : 1;
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
