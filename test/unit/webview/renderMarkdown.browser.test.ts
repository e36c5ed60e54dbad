import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { openBundleInChromium } from './browserPage';
import { hostileAnswer } from '../../support/fakeAnswers';

// renderMarkdown needs a DOM (DOMPurify): it runs in headless Chromium, bundled as the view bundles it (browserPage.ts).

describe('renderMarkdown in a real browser (DOMPurify)', function () {
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    this.timeout(60_000);
    const opened = await openBundleInChromium(
      "import { renderMarkdown } from './src/webview-ui/markdown'; (globalThis as any).renderMarkdown = renderMarkdown;",
      '<div id="out"></div>',
    );
    if (!opened) {
      this.skip();
    }
    ({ browser, page } = opened);
  });

  after(async () => {
    await browser?.close();
  });

  /** Renders in the page, puts the result into the DOM as the view does, and reports what it contains. */
  async function render(markdown: string): Promise<{ html: string; pwned: boolean; tags: string[]; attributes: string[] }> {
    const result = await page.evaluate(async (text) => {
      const win = window as unknown as { renderMarkdown(m: string): string; __anyapiPwned?: boolean };
      const out = document.getElementById('out') as HTMLElement;
      out.innerHTML = win.renderMarkdown(text);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const all = Array.from(out.querySelectorAll('*'));
      return {
        html: out.innerHTML,
        pwned: win.__anyapiPwned === true,
        tags: [...new Set(all.map((el) => el.tagName.toLowerCase()))],
        attributes: [...new Set(all.flatMap((el) => Array.from(el.attributes, (a) => a.name)))],
      };
    }, markdown);
    return result;
  }

  it('runs nothing and loads nothing from the hostile answer', async () => {
    const result = await render(hostileAnswer);
    assert.strictEqual(result.pwned, false);
    for (const tag of ['script', 'img', 'iframe', 'style', 'object', 'embed']) {
      assert.ok(!result.tags.includes(tag), `<${tag}> survived`);
    }
    assert.deepStrictEqual(
      result.attributes.filter((name) => !['class', 'title', 'data-href', 'role', 'tabindex'].includes(name)),
      [],
    );
    assert.ok(result.html.includes('End of hostile content.'));
  });

  it('keeps formatting, code highlighting and links (as data-href only)', async () => {
    const result = await render('# Title\n\n**bold** [docs](https://example.com/a)\n\n```ts\nconst a = 1;\n```\n\n| a |\n|---|\n| 1 |');
    for (const tag of ['h1', 'strong', 'a', 'pre', 'code', 'span', 'table', 'td']) {
      assert.ok(result.tags.includes(tag), `<${tag}> missing`);
    }
    assert.ok(result.html.includes('data-href="https://example.com/a"'));
    assert.ok(!/\shref=/.test(result.html));
  });

  it('removes links that are not http(s) or mailto, however they are written', async () => {
    const result = await render('[x](java&#x09;script:alert(1)) <https://ok.example> [y](  javascript:alert(1))');
    assert.strictEqual((result.html.match(/data-href=/g) ?? []).length, 1);
    assert.ok(result.html.includes('data-href="https://ok.example"'));
  });
});
