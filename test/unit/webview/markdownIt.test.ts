import * as assert from 'assert';
import type { ReferenceScope } from '../../../src/webview-ui/markdownIt';
import { definitionCount, isSafeLink, judgeBoundaries, renderMarkdownUnsanitised } from '../../../src/webview-ui/markdownIt';

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

describe('reference definitions across parts of an answer', () => {
  it('resolves a reference link with the definitions a scope collected from earlier parts', () => {
    const scope: ReferenceScope = {};
    assert.strictEqual(renderMarkdownUnsanitised('[d]: https://example.com/d "Docs"\n', scope), '');
    assert.strictEqual(definitionCount(scope), 1);
    assert.ok(renderMarkdownUnsanitised('See [the docs][d].', scope).includes('data-href="https://example.com/d"'));
    assert.ok(renderMarkdownUnsanitised('See [the docs][d].').includes('[the docs][d]'));
  });

  it('keeps the first definition of a label, as a whole answer does', () => {
    const scope: ReferenceScope = {};
    renderMarkdownUnsanitised('[d]: https://first.example\n', scope);
    renderMarkdownUnsanitised('[d]: https://second.example\n', scope);
    assert.ok(renderMarkdownUnsanitised('[d]', scope).includes('https://first.example'));
  });
});

describe('where a streamed answer can be cut (markdown-it block parser)', () => {
  /** The verdict for a cut before the first occurrence of `before`. */
  const judge = (text: string, before: string) => judgeBoundaries(text, [text.indexOf(before)])[0];

  it('is final where a block starts after a blank line, never where a list or a fence goes on', () => {
    assert.strictEqual(judge('Para\n\nNext\n', 'Next'), 'final');
    assert.strictEqual(judge('- a\n\n- b\n', '- b'), 'never');
    assert.strictEqual(judge('- a\n\n  more of a\n', '  more'), 'never');
    assert.strictEqual(judge('  - a\n- b\nmore\n', '- b'), 'never');
    assert.strictEqual(judge('```\ncode\n\nText\n', 'Text'), 'never');
  });

  it('waits for the line, and after a line that interrupts a paragraph for the next line too', () => {
    assert.strictEqual(judge('Para\n\nNe', 'Ne'), 'not yet');
    assert.strictEqual(judge('Para\n# H', '# H'), 'not yet');
    assert.strictEqual(judge('Para\n# H\n', '# H'), 'final');
    // With a delimiter row under it, a line with a pipe is a table header, and a table interrupts a paragraph.
    assert.strictEqual(judge('Para\n# H | x\n', '# H'), 'not yet');
    assert.strictEqual(judge('Para\n# H | x\n|--|--|', '# H'), 'not yet');
    assert.strictEqual(judge('Para\n# H | x\n|--|--|\n', '# H'), 'final');
    assert.strictEqual(judge('Para\n| a | b |\n|---|---|\n', '| a'), 'final');
    assert.strictEqual(judge('Para\n| a | b |\nmore\n', '| a'), 'never');
  });

  it('is final right after a fenced code block closes, before the next line comes', () => {
    assert.strictEqual(judgeBoundaries('```ts\ncode\n```\n', [16])[0], 'final');
    assert.strictEqual(judgeBoundaries('````\n```\n', [9])[0], 'not yet');
  });

  it('does not trust a boundary next to a link definition, whose title may go on', () => {
    assert.strictEqual(judge("[d]: https://example.com\n'title\n# H\nx\n", '# H'), 'never');
    assert.strictEqual(judge('[d]: https://example.com\n\n# H\n', '# H'), 'final');
  });

  it('counts lines as markdown-it does, a lone carriage return included', () => {
    assert.strictEqual(judge('Para\r\r# H\nText\n\n', 'Text'), 'final');
    assert.strictEqual(judge('Para\r\nText\r\n\r\n', 'Text'), 'never');
  });
});
