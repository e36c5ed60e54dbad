import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt from 'markdown-it';

/**
 * The markdown-it half of rendering (no DOM, so it runs in plain Node too): raw HTML off, links only to
 * http(s)/mailto and never as `href` (the view opens them through the host after a confirmation), images never
 * loaded. The result still goes through DOMPurify in `markdown.ts` before it touches the DOM.
 */

// A subset keeps the bundle small; other languages show as plain code.
const LANGUAGES = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  markdown,
  php,
  plaintext,
  python,
  ruby,
  rust,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) {
  hljs.registerLanguage(name, language);
}
hljs.registerAliases(['typescriptreact', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['javascriptreact', 'jsx'], { languageName: 'javascript' });
hljs.registerAliases(['html', 'vue', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['sh', 'zsh', 'shellscript'], { languageName: 'bash' });
hljs.registerAliases(['toml', 'properties'], { languageName: 'ini' });

/** Highlighting is skipped above this size: one huge block must not freeze the view. */
const MAX_HIGHLIGHT_LENGTH = 100_000;

const SAFE_LINK = /^(?:https?:|mailto:)/i;

export function isSafeLink(url: string): boolean {
  return SAFE_LINK.test(url.trim());
}

export function highlightCode(code: string, language: string): string {
  const name = language.toLowerCase();
  if (!name || code.length > MAX_HIGHLIGHT_LENGTH || !hljs.getLanguage(name)) {
    return '';
  }
  try {
    return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
  } catch {
    return '';
  }
}

function createRenderer(): MarkdownIt {
  const md = new MarkdownIt({
    html: false,
    linkify: true,
    typographer: false,
    breaks: false,
    langPrefix: 'language-',
    highlight: highlightCode,
  });
  md.validateLink = isSafeLink;
  const escape = md.utils.escapeHtml;

  // A link keeps its URL in data-href: a click asks the host, which confirms before opening anything.
  md.renderer.rules.link_open = (tokens, index) => {
    const href = tokens[index].attrGet('href') ?? '';
    return `<a data-href="${escape(href)}" title="${escape(href)}" role="link" tabindex="0">`;
  };
  // An image would be fetched the moment it is shown (a way to leak data): show its text as a link instead.
  md.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const src = token.attrGet('src') ?? '';
    const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
    if (/^https?:/i.test(src)) {
      return `<a data-href="${escape(src)}" title="${escape(src)}" role="link" tabindex="0">${escape(alt)}</a>`;
    }
    return escape(alt);
  };
  return md;
}

let renderer: MarkdownIt | undefined;

/** Markdown to HTML before sanitising. Use `renderMarkdown` from `markdown.ts` for anything shown. */
export function renderMarkdownUnsanitised(markdownText: string): string {
  renderer ??= createRenderer();
  return renderer.render(markdownText);
}
