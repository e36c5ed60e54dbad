import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { openBundleInChromium } from './browserPage';
import { generateDocument, randomChunks, seededRandom } from './markdownDocuments';

// The chat view's StreamView, bundled as the view bundles it and driven in headless Chromium (DOMPurify needs a
// real DOM): whatever the deltas, a finished streamed answer must show exactly what rendering it at once shows.
const DOCUMENTS = 400;
/** Replay a failure with ANYAPI_MARKDOWN_SEED=<seed printed by the failure>. */
const FIRST_SEED = Number(process.env.ANYAPI_MARKDOWN_SEED ?? 20_251_130);

// In the page: the view's modules, and a decoration standing in for the code block toolbars.
const ENTRY = `
import { StreamView } from './src/webview-ui/streamView';
import { renderMarkdown } from './src/webview-ui/markdown';
function decorate(root: HTMLElement): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const wrapper = document.createElement('div');
    wrapper.className = 'code-block';
    const toolbar = document.createElement('div');
    toolbar.className = 'code-toolbar';
    toolbar.textContent = /language-([\\w+-]+)/.exec(pre.querySelector('code')?.className ?? '')?.[1] ?? '';
    pre.replaceWith(wrapper);
    wrapper.append(toolbar, pre);
  }
}
(globalThis as any).markdownView = { StreamView, renderMarkdown, decorate };
`;

interface Streamed {
  /** The finished view's rendered markdown: every frozen block's content, in order. */
  html: string;
  /** The same answer rendered at once and decorated the same way. */
  whole: string;
  /** What is left in the open block after `finish` (must be nothing). */
  open: string;
}

interface Plan {
  chunks: string[];
  /** After which chunks an animation frame runs (the host coalesces deltas; frames come when they come). */
  frames: boolean[];
}

describe('a streamed answer, once finished, shows what rendering it at once shows (StreamView in Chromium)', function () {
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    this.timeout(60_000);
    const opened = await openBundleInChromium(ENTRY);
    if (!opened) {
      this.skip();
    }
    ({ browser, page } = opened);
  });

  after(async () => {
    await browser?.close();
  });

  /** Streams each plan through a new StreamView, running animation frames by hand where the plan says. */
  function streamAll(plans: Plan[]): Promise<Streamed[]> {
    return page.evaluate((all) => {
      type View = { append(text: string): void; finish(): void };
      const { StreamView, renderMarkdown, decorate } = (window as unknown as {
        markdownView: {
          StreamView: new (container: HTMLElement, decorate: (element: HTMLElement) => void, onRendered: () => void) => View;
          renderMarkdown(markdown: string): string;
          decorate(element: HTMLElement): void;
        };
      }).markdownView;
      const realFrame = window.requestAnimationFrame;
      const frames: FrameRequestCallback[] = [];
      window.requestAnimationFrame = (callback) => frames.push(callback);
      const runFrames = (): void => {
        for (const callback of frames.splice(0)) callback(performance.now());
      };
      try {
        return all.map(({ chunks, frames: after }) => {
          const container = document.createElement('div');
          document.body.replaceChildren(container);
          const view = new StreamView(container, decorate, () => undefined);
          chunks.forEach((chunk, index) => {
            view.append(chunk);
            if (after[index]) runFrames();
          });
          view.finish();
          runFrames();
          const blocks = Array.from(container.querySelectorAll(':scope > .blocks > .block-group > .block'));
          const whole = document.createElement('div');
          whole.innerHTML = renderMarkdown(chunks.join(''));
          decorate(whole);
          return {
            html: blocks.map((block) => block.innerHTML).join(''),
            whole: whole.innerHTML,
            open: container.querySelector('.open-block')?.innerHTML ?? 'missing',
          };
        });
      } finally {
        window.requestAnimationFrame = realFrame;
      }
    }, plans);
  }

  /** Streams `chunks` with the browser's own animation frames between them; reports the view before `finish` too. */
  async function streamWithFrames(chunks: string[]): Promise<{ beforeFinish: string; finished: Streamed }> {
    return page.evaluate(async (deltas) => {
      const { StreamView, renderMarkdown, decorate } = (window as unknown as {
        markdownView: {
          StreamView: new (container: HTMLElement, decorate: (element: HTMLElement) => void, onRendered: () => void) => { append(text: string): void; finish(): void };
          renderMarkdown(markdown: string): string;
          decorate(element: HTMLElement): void;
        };
      }).markdownView;
      const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const container = document.createElement('div');
      document.body.replaceChildren(container);
      const view = new StreamView(container, decorate, () => undefined);
      for (const delta of deltas) {
        view.append(delta);
        await nextFrame();
      }
      const beforeFinish = container.innerHTML;
      view.finish();
      const whole = document.createElement('div');
      whole.innerHTML = renderMarkdown(deltas.join(''));
      decorate(whole);
      const blocks = Array.from(container.querySelectorAll(':scope > .blocks > .block-group > .block'));
      return {
        beforeFinish,
        finished: {
          html: blocks.map((block) => block.innerHTML).join(''),
          whole: whole.innerHTML,
          open: container.querySelector('.open-block')?.innerHTML ?? 'missing',
        },
      };
    }, chunks);
  }

  function lines(text: string, size: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out;
  }

  it('resolves a reference link whose definition comes after it', async () => {
    const answer = 'Read [the docs][d] first.\n\nThen run it.\n\n[d]: https://example.com/docs "Docs"\n';
    const { finished } = await streamWithFrames(lines(answer, 5));
    assert.strictEqual(finished.open, '');
    assert.strictEqual(finished.html, finished.whole);
    assert.ok(finished.html.includes('data-href="https://example.com/docs"'), finished.html);
    assert.ok(!finished.html.includes('[the docs]'), finished.html);
  });

  it('resolves a reference link at once when its definition came first', async () => {
    const answer = '[d]: https://example.com/docs\n\nRead [the docs][d].\n\nMore text.\n\n';
    const { beforeFinish } = await streamWithFrames(lines(answer, 4));
    assert.ok(beforeFinish.includes('data-href="https://example.com/docs"'), beforeFinish);
  });

  it('keeps a section that starts with an indented bullet as one list, while streaming and after', async () => {
    const answer = '## Setup\n\n  - install the tools\n- run the build\n\n - test it\n\nDone.\n';
    const { beforeFinish, finished } = await streamWithFrames(lines(answer, 3));
    assert.strictEqual((beforeFinish.match(/<ul>/g) ?? []).length, 1, beforeFinish);
    assert.strictEqual((beforeFinish.match(/<li>/g) ?? []).length, 3, beforeFinish);
    assert.strictEqual(finished.html, finished.whole);
    assert.strictEqual((finished.html.match(/<ul>/g) ?? []).length, 1, finished.html);
  });

  it('renders late-resolved links in place, keeping the scroll position and the code block toolbars', async () => {
    const label = 'a-label-long-enough-to-wrap-over-more-than-one-line-of-this-narrow-view';
    const answer = [
      Array.from({ length: 20 }, () => `[docs][${label}]`).join('\n'),
      ...Array.from({ length: 40 }, (_, index) => `Paragraph ${index}.`),
      '```ts\nconst a = 1;\n```',
      `[${label}]: https://example.com/docs`,
    ].join('\n\n');
    for (const overflowAnchor of ['auto', 'none']) {
      const result = await page.evaluate(
        async ({ text, anchoring }) => {
          const { StreamView, decorate } = (window as unknown as {
            markdownView: {
              StreamView: new (container: HTMLElement, decorate: (element: HTMLElement) => void, onRendered: () => void) => { append(text: string): void; finish(): void };
              decorate(element: HTMLElement): void;
            };
          }).markdownView;
          const scroller = document.createElement('div');
          scroller.style.cssText = `height: 300px; width: 240px; overflow-y: auto; overflow-anchor: ${anchoring}`;
          const container = document.createElement('div');
          scroller.appendChild(container);
          document.body.replaceChildren(scroller);
          const view = new StreamView(container, decorate, () => undefined);
          view.append(text);
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const target = Array.from(container.querySelectorAll('p')).find((p) => p.textContent === 'Paragraph 30.') as HTMLElement;
          scroller.scrollTop = target.offsetTop - 100;
          const position = (): number => target.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
          const before = { position: position(), height: container.scrollHeight };
          view.finish();
          return {
            before,
            after: { position: position(), height: container.scrollHeight },
            links: container.querySelectorAll('a[data-href="https://example.com/docs"]').length,
            toolbars: container.querySelectorAll('.code-block > .code-toolbar').length,
            stillThere: target.isConnected,
          };
        },
        { text: answer, anchoring: overflowAnchor },
      );
      assert.strictEqual(result.links, 20, overflowAnchor);
      assert.strictEqual(result.toolbars, 1, overflowAnchor);
      assert.ok(result.stillThere, 'an unchanged block keeps its elements');
      assert.ok(result.after.height < result.before.height - 100, `the links take less room: ${JSON.stringify(result)}`);
      assert.ok(Math.abs(result.after.position - result.before.position) <= 1, `${overflowAnchor}: ${JSON.stringify(result)}`);
    }
  });

  it(`matches on ${DOCUMENTS} generated answers streamed in random deltas`, async function () {
    this.timeout(120_000);
    const plans: Array<Plan & { seed: number; text: string }> = [];
    for (let index = 0; index < DOCUMENTS; index++) {
      const seed = FIRST_SEED + index;
      const random = seededRandom(seed);
      const text = generateDocument(random);
      const chunks = randomChunks(random, text);
      const frameChance = random();
      plans.push({ seed, text, chunks, frames: chunks.map(() => random() < frameChance) });
    }
    const failures: string[] = [];
    for (let start = 0; start < plans.length; start += 50) {
      const batch = plans.slice(start, start + 50);
      const results = await streamAll(batch.map(({ chunks, frames }) => ({ chunks, frames })));
      results.forEach((result, index) => {
        const plan = batch[index];
        if (result.html !== result.whole || result.open !== '') {
          failures.push(
            `seed ${plan.seed} (replay: ANYAPI_MARKDOWN_SEED=${plan.seed}), deltas ${JSON.stringify(plan.chunks.map((chunk) => chunk.length))}\n` +
              `answer: ${JSON.stringify(plan.text)}\nstreamed: ${result.html}\nat once:  ${result.whole}\nopen: ${result.open}`,
          );
        }
      });
    }
    assert.deepStrictEqual(failures.slice(0, 3), [], `${failures.length} of ${DOCUMENTS} answers differ`);
  });
});
