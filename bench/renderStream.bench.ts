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
import { chromiumFlags } from '../scripts/harness/browser';
import { chromiumPath } from '../scripts/harness/paths';
import type { HostMessage, TurnView, WebviewStrings } from '../src/shared/protocol';
import { longAnswer, splitDeltas } from '../test/support/fakeAnswers';
import { report } from './report';

const ANSWER_BYTES = 500_000;
const DELTA_CHARS = 96;
const WARM_UP_BYTES = 50_000;
const root = path.resolve(__dirname, '../..');

const strings: WebviewStrings = {
  inputLabel: 'Ask AnyAPI',
  inputPlaceholder: 'Ask a question about your code…',
  inputHint: 'Enter to send, Shift+Enter for a new line',
  busyHint: 'An answer is still being written: stop it or wait, then send.',
  send: 'Send',
  stop: 'Stop',
  you: 'You',
  assistant: 'AnyAPI',
  regenerate: 'Regenerate',
  previousVersion: 'Previous answer',
  nextVersion: 'Next answer',
  versionPosition: '{0} of {1}',
  versionLabel: 'Answer {0} of {1}',
  attemptFailed: 'The new answer failed, so the previous answer is shown again.',
  editQuestion: 'Edit and Resend',
  editingBanner: 'Editing the last question',
  cancelEdit: 'Cancel Edit',
  copy: 'Copy',
  copied: 'Copied',
  insertAtCursor: 'Insert at Cursor',
  replaceSelection: 'Replace Selection',
  codeBlockLabel: 'Code block',
  hiddenCharacters: 'This code holds {0} invisible or text-direction characters.',
  stopped: 'Stopped',
  incomplete: 'The answer was cut short',
  thinking: 'Waiting for the answer…',
  answerFinished: 'Answer finished',
  usage: '{0} in · {1} out',
  reasoningUsage: '{0} reasoning',
  interrupted: 'Interrupted',
  interruptedNotice: 'The window closed while this answer arrived: what had arrived is kept.',
  omittedTurns: 'first {0} turns not sent',
  emptyTitle: 'Chat with AnyAPI',
  emptyNoKey: 'Set your AnyAPI key to start.',
  emptyReady: 'Ask about your code. Answers come from {0}.',
  setApiKey: 'Set API Key',
  selectModel: 'Select Model',
  transcriptLabel: 'Conversation',
  quoteLabel: 'Quoted code',
  errorActions: {
    setApiKey: 'Set API Key',
    openBaseUrlSetting: 'Open Base URL Setting',
    openProxySetting: 'Open Proxy Setting',
    selectModel: 'Select Model',
    retry: 'Retry',
    retryFewerTurns: 'Retry With Fewer Turns',
    newChat: 'New Chat',
    showLog: 'Show Log',
  },
};

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

    // The same answer rendered at once, as a finished answer is shown after a reload: the reference for the DOM.
    await send({ type: 'conversation', conversation: { id: 'c1', title: 'Bench', turns: [turn('t1', 'Stream a long answer', answer, 'done')] } });
    const reference = await page.evaluate(() => ({
      domNodes: document.getElementsByTagName('*').length,
      codeBlocks: document.querySelectorAll('.answer .markdown .code-block').length,
      text: document.querySelector('.answer .markdown')?.textContent ?? '',
    }));

    const deltas = result.deltaMs;
    const tenth = Math.max(1, Math.floor(deltas.length / 10));
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const firstTenth = deltas.slice(0, tenth);
    const lastTenth = deltas.slice(-tenth);
    const renderMs = deltas.reduce((sum, value) => sum + value, 0) + result.doneMs;
    const maxTask = Math.max(0, ...result.longTasks);
    const squash = (text: string): string => text.replace(/\s+/g, '');
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
        name: 'same text as rendering the finished answer at once',
        value: squash(result.text) === squash(reference.text) ? 'yes' : 'no',
        target: 'yes',
        pass: squash(result.text) === squash(reference.text),
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
    process.exitCode = ok ? 0 : 1;
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
