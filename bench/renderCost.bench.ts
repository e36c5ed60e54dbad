// What streaming an answer costs the chat view, against rendering the finished text once and against re-rendering the
// whole text on every delta, with deltas delivered as the host posts them (at most one message per animation frame,
// DELTA_FLUSH_MS in the turn runner) and the browser's own frames: style, layout and paint as a user's view has them.
//   node --expose-gc out/bench/renderCost.bench.js
import type { Page } from 'playwright-core';
import type { HostMessage, TurnView } from '../src/shared/protocol';
import { longAnswer, splitDeltas } from '../test/support/fakeAnswers';
import { median, report } from './report';
import { writeResults } from './results';
import type { MainThreadWork, ViewPage } from './viewPage';
import { bundleReferenceRenderer, bundleView, heapAfterCollection, mainThreadWork, openViewPage, runInChromium, workBetween } from './viewPage';

const ANSWER_BYTES = 500_000;
const DELTA_CHARS = 50;
/** How many times the answer is streamed and opened (the time figures are medians). */
const STREAMINGS = 3;
/** The naive view costs the square of the length: it is measured on a tenth of the answer. */
const NAIVE_ANSWER_BYTES = 50_000;
/**
 * A relay sending 600 deltas a second (the fake server's pace): the host posts what arrived every 16 ms, about 10.
 * ANYAPI_BENCH_DELTAS_PER_POST changes it.
 */
const DELTAS_PER_POST = Number(process.env.ANYAPI_BENCH_DELTAS_PER_POST ?? 10);

function turn(id: string, answer: string, state: TurnView['state']): TurnView {
  return { id, question: 'Stream a long answer', answer, state, ...(state === 'streaming' ? {} : { model: 'gpt-5.1', usage: { inputTokens: 10, outputTokens: 1000, totalTokens: 1010 } }) };
}

/** The deltas as the host posts them: those that arrived within one frame, joined. */
function posts(answer: string, deltasPerPost: number): string[] {
  const deltas = splitDeltas(answer, DELTA_CHARS);
  const result: string[] = [];
  for (let i = 0; i < deltas.length; i += deltasPerPost) result.push(deltas.slice(i, i + deltasPerPost).join(''));
  return result;
}

interface Measured {
  work: MainThreadWork;
  longestTaskMs: number;
  text: string;
}

/** Runs `body` in the page (it resolves once what it renders is on screen) and measures the main thread's work. */
async function measure(view: ViewPage, body: () => Promise<string>): Promise<Measured> {
  await view.page.evaluate(async () => {
    (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  });
  const before = await mainThreadWork(view.cdp);
  const text = await body();
  const after = await mainThreadWork(view.cdp);
  // Long tasks are reported asynchronously: give the observer a moment.
  const longestTaskMs = await view.page.evaluate(async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return Math.max(0, ...(window as unknown as { __longTasks: number[] }).__longTasks);
  });
  return { work: workBetween(before, after), longestTaskMs, text };
}

/** Streams `answer` into the view as turn `id`: one host message per frame, then `done`; resolves once it is shown. */
async function streamAnswer(view: ViewPage, id: string, answer: string): Promise<Measured> {
  await view.send({ type: 'turnStarted', conversationId: 'c1', turn: turn(id, '', 'streaming') });
  return measure(view, () =>
    view.page.evaluate(
      async ({ id, posts, done }) => {
        const deliver = (data: unknown): void => void window.dispatchEvent(new MessageEvent('message', { data }));
        const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
        for (const text of posts) {
          deliver({ type: 'delta', conversationId: 'c1', turnId: id, text });
          await frame();
        }
        deliver(done);
        await frame();
        await frame();
        return document.querySelector(`section[data-turn-id="${id}"] .answer .markdown`)?.textContent ?? '';
      },
      { id, posts: posts(answer, DELTAS_PER_POST), done: { type: 'done', conversationId: 'c1', turn: turn(id, answer, 'done') } as HostMessage },
    ),
  );
}

/** The same answer re-rendered whole, markdown and sanitising, on every delta, each delta a task: the naive view. */
async function streamNaively(view: ViewPage, answer: string): Promise<Measured> {
  return measure(view, () =>
    view.page.evaluate(async (deltas) => {
      const renderInto = (window as unknown as { __renderInto(element: HTMLElement, markdown: string): void }).__renderInto;
      const nextTask = (): Promise<void> =>
        new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(0);
        });
      const element = document.createElement('div');
      element.className = 'markdown';
      document.querySelector('#app')?.appendChild(element);
      let text = '';
      for (const delta of deltas) {
        text += delta;
        renderInto(element, text);
        await nextTask();
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const shown = element.textContent ?? '';
      element.remove();
      return shown;
    }, splitDeltas(answer, DELTA_CHARS)),
  );
}

/** The finished answer opened in the view (a reload, another conversation): rendered once, in steps. */
async function openFinished(view: ViewPage, id: string, answer: string): Promise<Measured> {
  return measure(view, () =>
    view.page.evaluate(
      async ({ id, conversation }) => {
        window.dispatchEvent(new MessageEvent('message', { data: { type: 'conversation', conversation } }));
        const answerOf = (): HTMLElement | null => document.querySelector(`section[data-turn-id="${id}"] .answer`);
        while (!answerOf() || answerOf()?.hasAttribute('aria-busy')) await new Promise((resolve) => requestAnimationFrame(resolve));
        await new Promise((resolve) => requestAnimationFrame(resolve));
        return answerOf()?.querySelector('.markdown')?.textContent ?? '';
      },
      { id, conversation: { id: 'c-open', title: 'Bench', turns: [turn(id, answer, 'done')] } },
    ),
  );
}

/** The finished answer's HTML set into the view at once, one task: the least rendering it can take. */
async function renderAtOnce(view: ViewPage, answer: string): Promise<Measured> {
  return measure(view, () =>
    view.page.evaluate(async (answer) => {
      const renderInto = (window as unknown as { __renderInto(element: HTMLElement, markdown: string): void }).__renderInto;
      const element = document.createElement('div');
      element.className = 'markdown';
      document.querySelector('#app')?.appendChild(element);
      renderInto(element, answer);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const shown = element.textContent ?? '';
      element.remove();
      return shown;
    }, answer),
  );
}

async function startProfile(view: ViewPage): Promise<void> {
  await view.cdp.send('Profiler.enable');
  await view.cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await view.cdp.send('Profiler.start');
}

/** Prints the functions the main thread spent most time in (BENCH_PROFILE=stream|open, an unminified bundle). */
async function stopProfile(view: ViewPage): Promise<void> {
  const { profile } = (await view.cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; lineNumber: number }; children?: number[] }[]; samples: number[]; timeDeltas: number[] } };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = profile.timeDeltas[i] / 1000;
    const frame = byId.get(id)?.callFrame;
    const key = `${frame?.functionName || '(anon)'}:${frame?.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const f = byId.get(node)?.callFrame;
      const name = `${f?.functionName || '(anon)'}:${f?.lineNumber}`;
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  const top = (map: Map<string, number>): string => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `  ${v.toFixed(0)} ${k}`).join('\n');
  console.log(`self:\n${top(self)}\ntotal:\n${top(total)}`);
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  args?: { data?: { functionName?: string; url?: string; type?: string } };
}

/** Starts a trace of the main thread (BENCH_TRACE=stream|open), to see what its longest tasks were made of. */
async function startTrace(view: ViewPage): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  view.cdp.on('Tracing.dataCollected', (data) => void events.push(...(data.value as unknown as TraceEvent[])));
  await view.cdp.send('Tracing.start', {
    // The light categories only: the heavier ones (disabled-by-default-devtools.timeline, v8) double every task.
    categories: 'toplevel,devtools.timeline,disabled-by-default-v8.gc',
    transferMode: 'ReportEvents',
  });
  return events;
}

/** Prints the tasks over 40 ms and the events that took most of each. */
async function stopTrace(view: ViewPage, events: TraceEvent[]): Promise<void> {
  const complete = new Promise<void>((resolve) => view.cdp.once('Tracing.tracingComplete', () => resolve()));
  await view.cdp.send('Tracing.end');
  await complete;
  const runs = events.filter((event) => event.name === 'RunTask');
  const start = Math.min(...runs.map((event) => event.ts));
  const span = Math.max(...runs.map((event) => event.ts + (event.dur ?? 0))) - start;
  const tasks = runs.filter((event) => (event.dur ?? 0) > 40_000);
  for (const task of tasks.sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 8)) {
    const end = task.ts + (task.dur ?? 0);
    const inside = events.filter((event) => event.tid === task.tid && event !== task && event.ts >= task.ts && event.ts < end && (event.dur ?? 0) > 2_000);
    const parts = inside
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 10)
      .map((event) => `${event.name}${event.args?.data?.functionName ? ` ${event.args.data.functionName}` : ''}${event.args?.data?.type ? ` ${event.args.data.type}` : ''} ${((event.dur ?? 0) / 1000).toFixed(1)}`);
    console.log(`task ${((task.dur ?? 0) / 1000).toFixed(1)} ms at ${Math.round(((task.ts - start) / span) * 100)}%: ${parts.join(', ')}`);
  }
}

async function emptyConversation(view: ViewPage, page: Page): Promise<void> {
  await view.send({ type: 'conversation', conversation: { id: 'c1', title: 'Bench', turns: [] } });
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
}

/** The answer's DOM as the user has it: its elements, its code blocks (with toolbars). */
function answerShape(page: Page, id: string): Promise<{ domNodes: number; codeBlocks: number; text: string }> {
  return page.evaluate((id) => {
    const body = document.querySelector(`section[data-turn-id="${id}"] .answer .markdown`);
    // The answer's own text: the code blocks' toolbars (their language label) left out.
    const copy = body?.cloneNode(true) as HTMLElement | undefined;
    for (const extra of Array.from(copy?.querySelectorAll('.code-toolbar, .code-warning') ?? [])) extra.remove();
    return {
      domNodes: body?.getElementsByTagName('*').length ?? 0,
      codeBlocks: body?.querySelectorAll('.code-block > .code-toolbar').length ?? 0,
      text: copy?.textContent ?? '',
    };
  }, id);
}

runInChromium(async (browser) => {
  const bundle = await bundleView();
  const view = await openViewPage(browser, bundle, { frames: 'natural' });
  const { page, cdp } = view;
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.addScriptTag({ content: await bundleReferenceRenderer() });
  const answer = longAnswer(ANSWER_BYTES);
  const short = longAnswer(NAIVE_ANSWER_BYTES);
  const answerBytes = Buffer.byteLength(answer);

  // Warm up the JIT on a shorter answer, streamed and opened (so that neither side of render.vsFinal is measured
  // cold), then start over with an empty conversation.
  await streamAnswer(view, 'warm-up', short);
  await emptyConversation(view, page);
  await openFinished(view, 'warm-up', short);
  await emptyConversation(view, page);
  const heapBefore = await heapAfterCollection(cdp);
  if (process.env.BENCH_PROFILE === 'stream') await startProfile(view);
  const streamTrace = process.env.BENCH_TRACE === 'stream' ? await startTrace(view) : undefined;
  const streamed = await streamAnswer(view, 't1', answer);
  if (streamTrace) await stopTrace(view, streamTrace);
  if (process.env.BENCH_PROFILE === 'stream') await stopProfile(view);
  const heapAfter = await heapAfterCollection(cdp);
  const streamedShape = await answerShape(page, 't1');
  await emptyConversation(view, page);
  if (process.env.BENCH_PROFILE === 'open') await startProfile(view);
  const openTrace = process.env.BENCH_TRACE === 'open' ? await startTrace(view) : undefined;
  const opened = await openFinished(view, 't1', answer);
  if (openTrace) await stopTrace(view, openTrace);
  if (process.env.BENCH_PROFILE === 'open') await stopProfile(view);
  const openedShape = await answerShape(page, 't1');
  await emptyConversation(view, page);
  // A task's length is wall time: another process taking the core for a moment lengthens it. The figures are the
  // median of STREAMINGS runs, each streaming and opening the whole answer; every run is printed.
  const streamedRuns = [streamed];
  const openedRuns = [opened];
  for (let run = 1; run < STREAMINGS; run++) {
    streamedRuns.push(await streamAnswer(view, `t1-${run}`, answer));
    await emptyConversation(view, page);
    openedRuns.push(await openFinished(view, `t1-${run}`, answer));
    await emptyConversation(view, page);
  }
  const longestRuns = streamedRuns.map((run, index) => Math.max(run.longestTaskMs, openedRuns[index].longestTaskMs));
  const once = await renderAtOnce(view, answer);
  const shortStreamed = await streamAnswer(view, 't2', short);
  await emptyConversation(view, page);
  const naive = await streamNaively(view, short);
  const referenceText = (markdown: string): Promise<string> =>
    page.evaluate((markdown) => (window as unknown as { __renderAtOnce(md: string): string }).__renderAtOnce(markdown), markdown);

  const squash = (text: string): string => text.replace(/\s+/g, '');
  const sameText =
    squash(streamedShape.text) === squash(openedShape.text) &&
    squash(openedShape.text) === squash(await referenceText(answer)) &&
    squash(once.text) === squash(openedShape.text) &&
    squash(naive.text) === squash(await referenceText(short));
  const fences = (answer.match(/^```\w+$/gm) ?? []).length;
  const streamedMs = median(streamedRuns.map((run) => run.work.renderMs));
  const openedMs = median(openedRuns.map((run) => run.work.renderMs));
  const vsFinal = streamedMs / openedMs;
  const vsNaive = shortStreamed.work.renderMs / naive.work.renderMs;
  const longestTaskMs = median(longestRuns);
  const perByte = (heapAfter.js - heapBefore.js) / answerBytes;
  const ms = (work: MainThreadWork): string => `${Math.round(work.renderMs)} ms (every task: ${Math.round(work.taskMs)} ms)`;
  const deltas = Math.ceil(answer.length / DELTA_CHARS);
  const ok = report(`chat view: stream a ${Math.round(answerBytes / 1000)} KB answer in ${deltas} deltas, ${DELTAS_PER_POST} per host message, one message a frame (Chromium)`, [
    { name: 'streaming it: script, style and layout (first run)', value: ms(streamed.work), target: 'reference', pass: true },
    { name: 'opening it finished (the view renders it once, in steps; first run)', value: ms(opened.work), target: 'reference', pass: true },
    { name: 'rendering it at once, one task (what the view never does: it freezes)', value: ms(once.work), target: 'reference', pass: true },
    { name: `render.vsFinal: streaming ÷ opening it finished (medians of ${STREAMINGS})`, value: +vsFinal.toFixed(2), target: '<= 2', pass: vsFinal <= 2 },
    {
      name: 'streaming ÷ opening it finished, every run (ms streaming / opening)',
      value: streamedRuns.map((run, index) => `${(run.work.renderMs / openedRuns[index].work.renderMs).toFixed(2)} (${Math.round(run.work.renderMs)}/${Math.round(openedRuns[index].work.renderMs)})`).join(' '),
      target: 'reference',
      pass: true,
    },
    { name: 'streaming ÷ rendering it at once, one task', value: +(streamedMs / once.work.renderMs).toFixed(2), target: 'reference', pass: true },
    { name: `streaming a ${Math.round(NAIVE_ANSWER_BYTES / 1000)} KB answer the same way`, value: ms(shortStreamed.work), target: 'reference', pass: true },
    {
      name: `the naive view on it: markdown and sanitising of the whole text on every delta (${Math.ceil(short.length / DELTA_CHARS)} deltas; the 500 KB answer would take hours)`,
      value: ms(naive.work),
      target: 'reference',
      pass: true,
    },
    { name: 'render.vsNaive: streaming ÷ the naive view', value: +vsNaive.toFixed(4), target: '<= 0.05', pass: vsNaive <= 0.05 },
    { name: `render.longestTaskMs: streaming and opening it (median of ${STREAMINGS})`, value: Math.round(longestTaskMs), target: '<= 50', pass: longestTaskMs <= 50 },
    {
      name: 'longest task, every run (streaming / opening)',
      value: streamedRuns.map((run, index) => `${Math.round(run.longestTaskMs)}/${Math.round(openedRuns[index].longestTaskMs)}`).join(' '),
      target: 'reference',
      pass: true,
    },
    { name: 'the one task of rendering it at once ms', value: Math.round(once.longestTaskMs), target: 'reference', pass: true },
    { name: 'memory.webviewPerAnswerByte: JS heap growth ÷ answer bytes, after collection', value: +perByte.toFixed(2), target: '<= 3', pass: perByte <= 3 },
    { name: 'DOM heap (Blink) growth ÷ answer bytes, after collection', value: +((heapAfter.dom - heapBefore.dom) / answerBytes).toFixed(1), target: 'reference', pass: true },
    { name: 'same text streamed, opened, rendered at once, and by the naive view', value: sameText ? 'yes' : 'no', target: 'yes', pass: sameText },
    { name: 'code blocks with toolbars, streamed / opened', value: `${streamedShape.codeBlocks} / ${openedShape.codeBlocks}`, target: `= ${fences} (every fence)`, pass: streamedShape.codeBlocks === fences && openedShape.codeBlocks === fences },
    { name: 'DOM elements, streamed / opened', value: `${streamedShape.domNodes} / ${openedShape.domNodes}`, target: 'ratio < 1.2', pass: streamedShape.domNodes / openedShape.domNodes < 1.2 },
  ]);
  writeResults({
    'render.vsFinal': +vsFinal.toFixed(2),
    'render.vsNaive': +vsNaive.toFixed(4),
    'render.longestTaskMs': Math.round(longestTaskMs),
    'memory.webviewPerAnswerByte': +perByte.toFixed(2),
  });
  return ok;
});
