import * as assert from 'assert';
import { buildChatHtml, contentSecurityPolicy } from '../../../src/webview/html';

describe('chat view HTML', () => {
  const html = buildChatHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abc123==',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
    language: 'zh-cn',
  });

  it('denies everything by default and allows scripts only by nonce', () => {
    const csp = contentSecurityPolicy('SRC', 'N');
    assert.ok(csp.startsWith("default-src 'none'"));
    assert.ok(csp.includes("script-src 'nonce-N'"));
    assert.ok(!csp.includes('unsafe-inline'));
    assert.ok(!csp.includes('unsafe-eval'));
    assert.ok(!/connect-src|frame-src|\*/.test(csp));
  });

  it('loads exactly one script, carrying the nonce, and no inline script', () => {
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.strictEqual(scripts.length, 1);
    assert.ok(scripts[0].includes('nonce="abc123=="'));
    assert.ok(scripts[0].includes('src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js"'));
    assert.ok(/<script[^>]*><\/script>/.test(html));
  });

  it('declares the display language', () => {
    assert.ok(html.includes('<html lang="zh-cn">'));
  });
});
