/**
 * The code Edit and Write take from a model's answer. Pure: no vscode, so it is unit-tested in plain Node.
 * Fences are found by markdown-it, as CommonMark reads them: indented inside a list, `~~~`, longer backtick runs.
 */
import type MarkdownIt from 'markdown-it';

export interface ExtractedCode {
  /** The code, without the blank lines around it; '' when the answer holds none. */
  readonly code: string;
  /** Which fenced block was taken, counting from 1; 0 when none was (an answer without fences is taken whole). */
  readonly index: number;
  /** How many fenced blocks the answer holds. */
  readonly count: number;
  /** The taken block's language as the answer names it (the info string's first word); '' when it names none. */
  readonly language: string;
}

/** Names a fence may give a language, grouped with VS Code's language ids: one group, one language. */
const LANGUAGE_GROUPS: readonly (readonly string[])[] = [
  ['typescript', 'ts', 'mts', 'cts', 'typescriptreact', 'tsx'],
  ['javascript', 'js', 'mjs', 'cjs', 'node', 'javascriptreact', 'jsx'],
  ['python', 'py', 'python3', 'py3'],
  ['shellscript', 'shell', 'sh', 'bash', 'zsh', 'ksh'],
  ['powershell', 'ps1', 'pwsh', 'ps'],
  ['bat', 'cmd', 'batch'],
  ['csharp', 'cs', 'c#'],
  ['cpp', 'c++', 'cc', 'cxx', 'hpp'],
  ['c', 'h'],
  ['objective-c', 'objc'],
  ['ruby', 'rb'],
  ['rust', 'rs'],
  ['go', 'golang'],
  ['kotlin', 'kt', 'kts'],
  ['fsharp', 'fs'],
  ['perl', 'pl'],
  ['haskell', 'hs'],
  ['elixir', 'ex', 'exs'],
  ['clojure', 'clj'],
  ['markdown', 'md'],
  ['yaml', 'yml'],
  ['json', 'jsonc', 'json5'],
  ['html', 'htm', 'xhtml'],
  ['dockerfile', 'docker'],
  ['makefile', 'make', 'mk'],
  ['latex', 'tex'],
  ['plaintext', 'text', 'txt', 'plain'],
];

const CANONICAL = new Map(LANGUAGE_GROUPS.flatMap((group) => group.map((name) => [name, group[0]] as const)));

function canonicalLanguage(name: string): string {
  const lower = name.toLowerCase();
  return CANONICAL.get(lower) ?? lower;
}

/** The language a fence's info string names: its first word, e.g. `ts` of `ts:src/a.ts` or `python` of `{.python}`. */
export function fenceLanguage(info: string): string {
  return /^[{.\s]*([^\s{}:,=]*)/.exec(info)?.[1] ?? '';
}

let parser: MarkdownIt | undefined;

/** markdown-it is required on first use, not at activation: it is most of the extension bundle's size. */
function fenceParser(): MarkdownIt {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parser ??= new (require('markdown-it') as typeof MarkdownIt)();
  return parser;
}

interface Fence {
  readonly code: string;
  readonly language: string;
}

function fencesOf(answer: string): Fence[] {
  return fenceParser()
    .parse(answer, {})
    .filter((token) => token.type === 'fence')
    .map((token) => ({ code: dropBlankEdges(token.content), language: fenceLanguage(token.info) }));
}

/** Drops the blank lines before and after the text, keeping the indentation of its first line. */
export function dropBlankEdges(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/(?:\r?\n[ \t]*)+$/, '').replace(/^[ \t]+$/, '');
}

/**
 * The code in an answer for Edit and Write, as their prompts ask for it: the first fenced block in the file's
 * language (a fence naming no language counts as one), else the first fenced block; an answer without fences is
 * the code itself. Empty fences are never taken.
 */
export function extractCode(answer: string, languageId = ''): ExtractedCode {
  const fences = fencesOf(answer);
  if (fences.length === 0) {
    return { code: dropBlankEdges(answer), index: 0, count: 0, language: '' };
  }
  const wanted = canonicalLanguage(languageId);
  const candidates = fences.map((fence, position) => ({ ...fence, index: position + 1 })).filter((fence) => fence.code.trim());
  const taken = candidates.find((fence) => !fence.language || canonicalLanguage(fence.language) === wanted) ?? candidates[0];
  if (!taken) {
    return { code: '', index: 0, count: fences.length, language: '' };
  }
  return { code: taken.code, index: taken.index, count: fences.length, language: taken.language };
}
