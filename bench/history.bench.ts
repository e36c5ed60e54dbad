// Opening long conversations in the chat view's real browser code (bench/viewPage.ts) in headless Chromium: a
// conversation of 200 turns (its latest turns at once, older ones when scrolled to) and one holding a 500 KB answer
// (rendered in steps of a few milliseconds), each from an empty view, the conversation shown before collected.
//   node --expose-gc out/bench/history.bench.js
import type { Page } from 'playwright-core';
import type { ConversationView, TurnView } from '../src/shared/protocol';
import { longAnswer } from '../test/support/fakeAnswers';
import { median, report } from './report';
import { writeResults } from './results';
import { bundleReferenceRenderer, bundleView, openViewPage, runInChromium } from './viewPage';

const ANSWER_BYTES = 500_000;

const HISTORY_TURNS = 200;
const HISTORY_ANSWER_BYTES = 2_500;
/** How many times each conversation is opened (the figures are medians). */
const OPENINGS = 3;

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

runInChromium(async (browser) => {
  const { page, cdp } = await openViewPage(browser, await bundleView(), { frames: 'manual' });
  const collectGarbage = async (): Promise<void> => void (await cdp.send('HeapProfiler.collectGarbage'));
  const answer = longAnswer(ANSWER_BYTES);
  // Warm up the JIT: open the long answer once.
  await openConversation(page, collectGarbage, { id: 'c-warm', title: 'Bench', turns: [turn('t0', 'Warm up', answer, 'done')] }, 't0', true);
  const opened = await openConversation(page, collectGarbage, { id: 'c-long', title: 'Bench', turns: [turn('t1', 'Stream a long answer', answer, 'done')] }, 't1', true);
  const historyTurns = Array.from({ length: HISTORY_TURNS }, (_, i) => turn(`h${i}`, `Question ${i} about the code`, longAnswer(HISTORY_ANSWER_BYTES), 'done'));
  // A task's length is wall time: another process taking the core for a moment lengthens it. Each figure is the
  // median of OPENINGS (each opening whole, from an empty view), every opening printed.
  const historyRuns: Opened[] = [];
  for (let run = 0; run < OPENINGS; run++) {
    historyRuns.push(await openConversation(page, collectGarbage, { id: `c-history-${run}`, title: 'History', turns: historyTurns }, `h${HISTORY_TURNS - 1}`, false));
  }
  const history = {
    shownMs: median(historyRuns.map((run) => run.shownMs)),
    longestTaskMs: median(historyRuns.map((run) => run.longestTaskMs)),
    renderedTurns: Math.max(...historyRuns.map((run) => run.renderedTurns)),
  };
  const openedRuns: Opened[] = [opened];
  for (let run = 1; run < OPENINGS; run++) {
    openedRuns.push(await openConversation(page, collectGarbage, { id: `c-long-${run}`, title: 'Bench', turns: [turn(`t${run + 1}`, 'Stream a long answer', answer, 'done')] }, `t${run + 1}`, true));
  }
  const openedLongestTaskMs = median(openedRuns.map((run) => run.longestTaskMs));
  const every = (runs: Opened[], figure: (run: Opened) => number): string => runs.map((run) => Math.round(figure(run))).join(' ');
  await page.addScriptTag({ content: await bundleReferenceRenderer() });
  const referenceText = squashText(await page.evaluate((markdown) => (window as unknown as { __renderAtOnce(md: string): string }).__renderAtOnce(markdown), answer));
  const answerBytes = Buffer.byteLength(answer);
  const ok = report(`chat view: open a conversation (${HISTORY_TURNS} turns; one ${Math.round(answerBytes / 1000)} KB answer)`, [
    { name: 'history.openMs: 200 turns, until the latest turn is on screen', value: +history.shownMs.toFixed(1), target: '<= 300', pass: history.shownMs <= 300 },
    { name: `history.openMs, every opening`, value: every(historyRuns, (run) => run.shownMs), target: 'reference', pass: true },
    { name: `longest task opening the 200 turns ms (median of ${OPENINGS})`, value: Math.round(history.longestTaskMs), target: '<= 50', pass: history.longestTaskMs <= 50 },
    { name: 'longest task opening the 200 turns, every opening', value: every(historyRuns, (run) => run.longestTaskMs), target: 'reference', pass: true },
    { name: 'turns rendered at open (the rest when scrolled to)', value: history.renderedTurns, target: `< ${HISTORY_TURNS}`, pass: history.renderedTurns < HISTORY_TURNS },
    { name: `history.longestTaskMs: opening the 500 KB answer (median of ${OPENINGS})`, value: Math.round(openedLongestTaskMs), target: '<= 50', pass: openedLongestTaskMs <= 50 },
    { name: 'longest task opening the 500 KB answer, every opening', value: every(openedRuns, (run) => run.longestTaskMs), target: 'reference', pass: true },
    { name: 'opening the 500 KB answer: first text on screen ms', value: +opened.shownMs.toFixed(1), target: 'reference', pass: true },
    { name: 'opening the 500 KB answer: whole ms', value: Math.round(opened.wholeMs), target: 'reference', pass: true },
    { name: 'the opened answer reads as rendering it at once', value: squashText(opened.text) === referenceText ? 'yes' : 'no', target: 'yes', pass: squashText(opened.text) === referenceText },
  ]);
  writeResults({
    'history.openMs': +history.shownMs.toFixed(1),
    'history.longestTaskMs': Math.round(Math.max(history.longestTaskMs, openedLongestTaskMs)),
  });
  return ok;
});
