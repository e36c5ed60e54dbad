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
import type { BoundaryVerdict } from '../shared/blockSplitter';

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

/**
 * The link reference definitions (`[label]: url`) known to a rendering. markdown-it adds each definition it meets
 * (the first of a label wins) and resolves `[text][label]` against all of them, wherever they are in the answer.
 */
export interface ReferenceScope {
  references?: Record<string, unknown>;
}

/** Markdown to HTML before sanitising. Use `renderMarkdown` from `markdown.ts` for anything shown. */
export function renderMarkdownUnsanitised(markdownText: string, scope: ReferenceScope = {}): string {
  renderer ??= createRenderer();
  return renderer.render(markdownText, scope);
}

/** How many definitions a scope holds. */
export function definitionCount(scope: ReferenceScope): number {
  return scope.references ? Object.keys(scope.references).length : 0;
}

const BLANK_LINE = /^[ \t]*$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

interface TopLevelBlock {
  start: number;
  end: number;
  /** Set for a fenced code block whose closing line is its last line. */
  closedFence: boolean;
}

/** The top-level blocks of `source` (normalised as markdown-it normalises), by line, from its own block parser. */
function outline(source: string, lines: readonly string[]): { blocks: TopLevelBlock[]; hasDefinitions: boolean } {
  renderer ??= createRenderer();
  const scope: ReferenceScope = {};
  const tokens: ReturnType<MarkdownIt['parse']> = [];
  renderer.block.parse(source, renderer, scope, tokens);
  const blocks: TopLevelBlock[] = [];
  for (const token of tokens) {
    if (token.level !== 0 || token.nesting === -1 || !token.map) continue;
    const [start, end] = token.map;
    const close = token.type === 'fence' && end - 1 > start ? FENCE_CLOSE.exec(lines[end - 1] ?? '') : null;
    const closedFence = close !== null && close[1][0] === token.markup[0] && close[1].length >= token.markup.length;
    blocks.push({ start, end, closedFence });
  }
  return { blocks, hasDefinitions: definitionCount(scope) > 0 };
}

/** The line each offset starts (offsets ascending, each at a line start), counting line breaks as markdown-it does. */
function lineNumbers(text: string, offsets: readonly number[]): number[] {
  const numbers: number[] = [];
  let line = 0;
  let position = 0;
  for (const offset of offsets) {
    for (; position < offset; position++) {
      const char = text.charCodeAt(position);
      if (char === 0x0a || (char === 0x0d && text.charCodeAt(position + 1) !== 0x0a)) line++;
    }
    numbers.push(line);
  }
  return numbers;
}

/**
 * Whether `text` (a streamed answer from a top-level block start on) can be cut at each offset, so that the part
 * before renders alone exactly as it renders in the whole answer, whatever text is still to come.
 *
 * markdown-it decides where a top-level block ends from that block's lines and the line after it (and the one
 * after that when the line has a `|`: a table header interrupts a paragraph only above a delimiter row), except
 * for link reference definitions, whose title may run on over more lines. So a boundary is final after a closed
 * fence, after a blank line, or after any block once those lines are complete and no definition is in sight.
 */
export function judgeBoundaries(text: string, offsets: readonly number[]): BoundaryVerdict[] {
  const source = text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  const lines = source.split('\n');
  const completeLines = lines.length - 1;
  const { blocks, hasDefinitions } = outline(source, lines);
  return lineNumbers(text, offsets).map((line): BoundaryVerdict => {
    const next = blocks.findIndex((block) => block.end > line);
    const before = blocks[(next === -1 ? blocks.length : next) - 1];
    if (before?.end === line && before.closedFence) return 'final';
    if (line >= completeLines) return 'not yet';
    const startsHere = next !== -1 && blocks[next].start === line;
    if (BLANK_LINE.test(lines[line - 1])) return startsHere ? 'final' : 'never';
    if (line + 1 >= completeLines && lines[line].includes('|')) return 'not yet';
    return startsHere && !hasDefinitions && before?.end === line ? 'final' : 'never';
  });
}
