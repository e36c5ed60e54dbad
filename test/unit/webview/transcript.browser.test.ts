import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import type { HostMessage, TurnView } from '../../../src/shared/protocol';
import { longAnswer } from '../../support/fakeAnswers';
import { strings } from '../../support/webviewStrings';
import { openBundleInChromium } from './browserPage';

// The whole chat view (src/webview-ui/main.ts) in headless Chromium, fed the host's messages: opening a long
// conversation renders its latest turns at once and older ones when they scroll into view; a long answer is rendered
// in steps and ends up exactly as rendering it at once.
const ENTRY = `
import './src/webview-ui/main';
import { renderMarkdown } from './src/webview-ui/markdown';
(globalThis as any).renderAtOnce = (markdown: string) => {
  const element = document.createElement('div');
  element.innerHTML = renderMarkdown(markdown);
  return element.textContent;
};
`;
// The webview API the view starts with, and a side bar's size with the view's own scrolling transcript.
const BODY = `
<style>.app { height: 700px; width: 400px; display: flex; flex-direction: column; } .transcript { flex: 1; overflow-y: auto; }</style>
<script>window.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined });</script>
<div id="app" class="app"></div>`;

function turn(id: string, question: string, answer: string): TurnView {
  return { id, question, answer, state: 'done', model: 'gpt-5.1' };
}

async function send(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate((data) => void window.dispatchEvent(new MessageEvent('message', { data })), message);
}

describe('chat view: opening long conversations (in Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    const opened = await openBundleInChromium(ENTRY, BODY);
    if (!opened) return this.skip();
    ({ browser, page } = opened);
    await send(page, { type: 'init', strings, status: { hasKey: true, model: 'gpt-5.1' }, conversation: { id: 'c0', title: '', turns: [] }, chips: [] });
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the latest turns of 60 at once, and an older one once it is scrolled to', async () => {
    const turns = Array.from({ length: 60 }, (_, i) => turn(`t${i}`, `Question ${i}`, `Answer number ${i}.\n\n${longAnswer(1500)}`));
    await send(page, { type: 'conversation', conversation: { id: 'c1', title: 'Long', turns } });
    // The latest turns are rendered in the tasks right after the message, the last one first.
    await page.waitForFunction(() => document.querySelectorAll('section.turn:not(.deferred)').length >= 3);
    const shown = await page.evaluate(() => ({
      atEnd: (() => {
        const transcript = document.querySelector('.transcript')!;
        return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 2;
      })(),
      sections: document.querySelectorAll('section.turn').length,
      rendered: Array.from(document.querySelectorAll('section.turn:not(.deferred)')).map((section) => (section as HTMLElement).dataset.turnId),
      lastAnswer: document.querySelector('section[data-turn-id="t59"] .answer .markdown')?.textContent ?? '',
      firstQuestion: document.querySelector('section[data-turn-id="t0"]')?.textContent ?? '',
    }));
    assert.strictEqual(shown.sections, 60, 'every turn has its place in the transcript');
    assert.ok(shown.rendered.includes('t59') && shown.rendered.includes('t57'), `latest turns rendered: ${shown.rendered.join(',')}`);
    assert.ok(shown.rendered.length < 10, `only the latest turns are rendered at once, not ${shown.rendered.length}`);
    assert.match(shown.lastAnswer, /Answer number 59\./);
    assert.ok(shown.atEnd, 'the transcript shows its end once the last answer has its real height');
    assert.match(shown.firstQuestion, /Question 0/, 'an older turn shows its question before it is rendered');
    await page.evaluate(() => {
      document.querySelector('.transcript')!.scrollTop = 0;
    });
    await page.waitForFunction(() => /Answer number 0\./.test(document.querySelector('section[data-turn-id="t0"] .answer .markdown')?.textContent ?? ''));
    const stillDeferred = await page.evaluate(() => document.querySelectorAll('section.turn.deferred').length);
    assert.ok(stillDeferred > 0, 'the turns between the top and the end wait until they are scrolled to');
  });

  it('renders a 300 KB answer in steps, marked busy meanwhile, exactly as rendering it at once', async () => {
    const answer = longAnswer(300_000);
    await send(page, { type: 'conversation', conversation: { id: 'c2', title: 'Big', turns: [turn('big', 'A long one', answer)] } });
    const [busyAtFirst, textAtFirst] = await page.evaluate(() => [
      document.querySelector('section[data-turn-id="big"] .answer')?.getAttribute('aria-busy'),
      document.querySelector('section[data-turn-id="big"] .answer .markdown')?.textContent ?? '',
    ]);
    assert.strictEqual(busyAtFirst, 'true', 'the answer is marked busy while it is rendered');
    assert.match(textAtFirst ?? '', /Section 0/, 'its beginning is shown at once');
    await page.waitForFunction(() => !document.querySelector('section[data-turn-id="big"] .answer')?.hasAttribute('aria-busy'), undefined, { timeout: 60_000 });
    const [shown, atOnce] = await page.evaluate((markdown) => {
      const copy = document.querySelector('section[data-turn-id="big"] .answer .markdown')!.cloneNode(true) as HTMLElement;
      for (const toolbar of Array.from(copy.querySelectorAll('.code-toolbar, .code-warning'))) toolbar.remove();
      return [copy.textContent ?? '', (globalThis as unknown as { renderAtOnce(md: string): string }).renderAtOnce(markdown)];
    }, answer);
    assert.ok(shown.length > 200_000);
    assert.strictEqual(shown.replace(/\s+/g, ''), atOnce.replace(/\s+/g, ''));
  });

  it('stops rendering an answer whose conversation was left before it finished', async () => {
    const answer = longAnswer(300_000);
    await send(page, { type: 'conversation', conversation: { id: 'c3', title: 'Left', turns: [turn('left', 'Left early', answer)] } });
    await send(page, { type: 'conversation', conversation: { id: 'c4', title: 'Short', turns: [turn('short', 'Short one', 'Just this.')] } });
    await page.waitForFunction(() => document.querySelector('section[data-turn-id="short"] .answer .markdown')?.textContent?.includes('Just this.'));
    assert.strictEqual(await page.evaluate(() => document.querySelectorAll('section[data-turn-id="left"]').length), 0);
    // And the view is free again: a new long answer is rendered to its end.
    const next = longAnswer(20_000);
    await send(page, { type: 'conversation', conversation: { id: 'c5', title: 'Next', turns: [turn('next', 'Next one', next)] } });
    await page.waitForFunction(() => !document.querySelector('section[data-turn-id="next"] .answer')?.hasAttribute('aria-busy'));
  });
});
