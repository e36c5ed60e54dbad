// Generated markdown answers for the property tests of streamed rendering: a seeded generator (the same seed gives
// the same documents, so a failure can be replayed) mixing the constructs that cross top-level blocks.

export type Random = () => number;

/** mulberry32: small, fast and good enough to explore markdown. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

const WORDS = ['the', 'answer', 'uses', 'a', 'cache', 'so', 'each', 'request', 'is', 'fast', 'config', 'value', 'step'];
const INLINE = [
  '**bold**',
  '_italic_',
  '`inline code`',
  '[a link](https://example.com/a)',
  '[docs][d]',
  '[Docs][D]',
  '[d]',
  '[later][l]',
  '[missing][nowhere]',
  '![image](https://example.com/i.png)',
  '<b>not html</b>',
  '<div class="x">',
  'a < b > c',
  'https://example.com/bare',
  '\\*escaped\\*',
  '&amp; &copy;',
  'x | y',
  '中文',
  '代码示例',
  '🙂',
];

function words(random: Random, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(random() < 0.25 ? pick(random, INLINE) : pick(random, WORDS));
  return out.join(' ');
}

function paragraph(random: Random): string {
  const lines: string[] = [];
  const count = between(random, 1, 3);
  for (let i = 0; i < count; i++) {
    let line = random() < 0.15 ? `${pick(random, ['1986.', '2.', '+', '#5', '>', '=', '|'])} ${words(random, 3)}` : words(random, between(random, 2, 8));
    if (i < count - 1 && random() < 0.2) line += pick(random, ['  ', '\\']);
    lines.push(line);
  }
  return lines.join('\n');
}

function cjkParagraph(random: Random): string {
  return pick(random, ['这是一个段落，包含**粗体**和`代码`。', '第二段：请参阅[文档][d]。', '列表之后的说明文字。']) + (random() < 0.3 ? '\n继续同一段。' : '');
}

function heading(random: Random): string {
  if (random() < 0.35) return `${words(random, 3)}\n${pick(random, ['=', '-']).repeat(between(random, 1, 6))}`;
  return `${'#'.repeat(between(random, 1, 6))}${random() < 0.1 ? '' : ' '}${words(random, 3)}${random() < 0.1 ? ' ##' : ''}`;
}

function codeLines(random: Random, inner: string): string[] {
  const lines: string[] = [];
  const count = between(random, 1, 5);
  for (let i = 0; i < count; i++) {
    lines.push(
      pick(random, ['const a = 1;', '', 'def run():', '    return 2', '# not a heading', '- not a list', inner, '  indented', '[d]: https://not.a.definition', 'x | y']),
    );
  }
  return lines;
}

function fence(random: Random, indent = ''): string {
  const marker = pick(random, ['```', '```', '~~~', '````']);
  const info = pick(random, ['ts', 'python', '', 'nosuchlang', 'js title="x"']);
  const inner = marker === '````' ? '```' : marker === '~~~' ? '```' : '~~~';
  const lines = [`${marker}${info}`, ...codeLines(random, inner)];
  if (random() < 0.9) lines.push(marker);
  return lines.map((line) => (line ? indent + line : line)).join('\n');
}

function listBlock(random: Random, depth = 0): string {
  const ordered = random() < 0.4;
  const bullet = pick(random, ['-', '*', '+']);
  const delimiter = pick(random, ['.', ')']);
  const start = random() < 0.7 ? 1 : between(random, 0, 12);
  const baseIndent = ' '.repeat(random() < 0.3 ? between(random, 1, 3) : 0);
  const loose = random() < 0.35;
  const items: string[] = [];
  const count = between(random, 1, 4);
  for (let i = 0; i < count; i++) {
    const marker = ordered ? `${start + i}${delimiter}` : bullet;
    const indent = random() < 0.15 ? ' '.repeat(between(random, 0, 3)) : baseIndent;
    const content = ' '.repeat(indent.length + marker.length + 1);
    const lines = [`${indent}${marker} ${words(random, between(random, 1, 5))}`];
    const extra = random();
    if (extra < 0.15) lines.push(`${content}${words(random, 3)}`);
    else if (extra < 0.25) lines.push(words(random, 2));
    else if (extra < 0.35) lines.push('', `${content}${words(random, 3)}`);
    else if (extra < 0.45 && depth < 2) lines.push(...listBlock(random, depth + 1).split('\n').map((line) => (line ? content + line : line)));
    else if (extra < 0.55) lines.push(...(random() < 0.5 ? [''] : []), fence(random, content));
    else if (extra < 0.6) lines.push(`${content}> ${words(random, 2)}`);
    items.push(lines.join('\n'));
  }
  return items.join(loose ? '\n\n' : '\n');
}

function quote(random: Random): string {
  const body = pick(random, [paragraph, listBlock, fence, heading] as const)(random);
  const lines = body.split('\n').map((line) => (random() < 0.1 ? `>${line}` : `> ${line}`));
  if (random() < 0.25) lines.push(words(random, 3));
  if (random() < 0.15) lines.push('>', `>> ${words(random, 2)}`);
  return lines.join('\n');
}

function table(random: Random): string {
  const pipes = random() < 0.7;
  const row = (cells: string[]): string => (pipes ? `| ${cells.join(' | ')} |` : cells.join(' | '));
  const lines = [row(['name', 'value']), pipes ? '|---|:---:|' : '--- | ---'];
  const rows = between(random, 0, 3);
  for (let i = 0; i < rows; i++) lines.push(row([words(random, 1), words(random, 2)]));
  if (random() < 0.2) lines.push(words(random, 2));
  return lines.join('\n');
}

function definitions(random: Random): string {
  const lines: string[] = [];
  for (const label of ['d', 'l', 'D'].filter(() => random() < 0.6)) {
    const title = pick(random, ['', ' "Title"', " 'Docs'", '\n  "On the next line"', " 'two\nlines'"]);
    lines.push(`${random() < 0.2 ? ' ' : ''}[${label}]: https://example.com/${label}${title}`);
  }
  return lines.length ? lines.join('\n') : '[d]: <https://example.com/d>';
}

const BLOCKS: Array<[number, (random: Random) => string]> = [
  [5, paragraph],
  [1, cjkParagraph],
  [3, heading],
  [4, (random) => listBlock(random)],
  [3, (random) => fence(random, random() < 0.15 ? ' '.repeat(between(random, 1, 3)) : '')],
  [2, quote],
  [2, table],
  [2, definitions],
  [1, (random) => pick(random, ['---', '***', '* * *', '___', '- - -'])],
  [1, (random) => `    ${words(random, 3)}\n\n    ${words(random, 2)}`],
  [1, (random) => pick(random, ['<div>\n<b>x</b>\n</div>', '<!-- comment -->', '<script>alert(1)</script>', '<details>\n\ntext\n\n</details>'])],
];
const TOTAL_WEIGHT = BLOCKS.reduce((sum, [weight]) => sum + weight, 0);

function block(random: Random): string {
  let roll = random() * TOTAL_WEIGHT;
  for (const [weight, make] of BLOCKS) {
    roll -= weight;
    if (roll < 0) return make(random);
  }
  return paragraph(random);
}

/** One answer: 2 to 14 blocks, mostly separated by blank lines, sometimes by none (so blocks run together). */
export function generateDocument(random: Random): string {
  const parts: string[] = [];
  const count = between(random, 2, 14);
  for (let i = 0; i < count; i++) {
    if (i > 0) parts.push(pick(random, ['\n\n', '\n\n', '\n\n', '\n', '\n\n\n', '\n  \n']));
    parts.push(block(random));
  }
  let text = parts.join('') + pick(random, ['', '\n', '\n\n']);
  if (random() < 0.05) text = text.replace(/\n/g, '\r\n');
  return text;
}

/** Cuts `text` into deltas of random sizes: one character each, small, large, or the whole text at once. */
export function randomChunks(random: Random, text: string): string[] {
  const mode = pick(random, ['single', 'small', 'medium', 'large', 'whole'] as const);
  const chunks: string[] = [];
  let offset = 0;
  while (offset < text.length) {
    const size =
      mode === 'single' ? 1 : mode === 'small' ? between(random, 1, 6) : mode === 'medium' ? between(random, 1, 40) : mode === 'large' ? between(random, 20, 300) : text.length;
    chunks.push(text.slice(offset, offset + size));
    offset += size;
  }
  return chunks;
}
