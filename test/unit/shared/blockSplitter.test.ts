import * as assert from 'assert';
import type { BoundaryJudge, BoundaryVerdict } from '../../../src/shared/blockSplitter';
import { MarkdownBlockSplitter } from '../../../src/shared/blockSplitter';
import type { ReferenceScope } from '../../../src/webview-ui/markdownIt';
import { judgeBoundaries, renderMarkdownUnsanitised } from '../../../src/webview-ui/markdownIt';
import { generateDocument, randomChunks, seededRandom } from '../webview/markdownDocuments';

/** Feeds `text` in chunks of the given sizes (cycled) and returns the frozen blocks and the rest. */
function stream(text: string, sizes: number[], judge?: BoundaryJudge): { blocks: string[]; rest: string; maxOpen: number } {
  const splitter = new MarkdownBlockSplitter(judge);
  const blocks: string[] = [];
  let maxOpen = 0;
  let offset = 0;
  let index = 0;
  while (offset < text.length) {
    const size = sizes[index++ % sizes.length];
    blocks.push(...splitter.push(text.slice(offset, offset + size)));
    maxOpen = Math.max(maxOpen, splitter.openBlock.length);
    offset += size;
  }
  return { blocks, rest: splitter.finish(), maxOpen };
}

const SAMPLES: Record<string, string> = {
  paragraphs: 'First paragraph\nstill first.\n\nSecond paragraph.\n\nThird.',
  headings: '# Title\nText under title.\n## Sub\n\nMore.\n',
  fenceWithBlankLines: 'Intro:\n\n```ts\nconst a = 1;\n\n\nconst b = 2;\n# not a heading\n- not a list\n```\nAfter the fence.\n\nEnd.',
  tildeFence: '~~~python\nprint("a")\n\n```\nstill code\n~~~\n\nText',
  longerFence: '````md\n```ts\ninner\n```\n````\n\nDone.',
  bulletList: '- one\n- two\n- three\n\nAfter list.',
  orderedList: '1. one\n2. two\n3. three\n\nAfter.',
  looseList: '- a\n\n- b\n\n  continued in b\n\n- c\n',
  nestedList: '- a\n  - a1\n  - a2\n- b\n',
  yearNotAList: 'In\n1986. A great year.\n',
  quote: '> quoted\n> more\n\nplain',
  table: '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nAfter table.',
  setext: 'Title\n=====\n\nText\n---\n',
  crlf: 'Line one\r\n\r\n```js\r\nlet x;\r\n\r\n```\r\nafter\r\n',
  cjk: '第一段。\n\n第二段：`代码`\n\n- 条目一\n- 条目二\n',
  unterminatedFence: 'Text\n\n```ts\nconst a = 1;\n',
  indentedListStart: '## Setup\n\n  - install\n- run\n\n - test\n\nDone.\n',
  listAfterIndentedBullet: 'Intro\n - one\n\n- two\n',
  setextUnderDash: 'Title\n- \n\nText\n',
  fenceEndedWithItem: '- item\n  ```ts\n  code\n\nText\n\n```\n# comment in code\n\nmore code\n```\n\nAfter.\n',
  indentedTopFence: 'Text\n\n- item\n\n ```\ncode at column 0\n\n# not a heading\n ```\n\nAfter.\n',
  thematicBreakNotList: '* * *\n\n  ```\n  code\n\nplain\n',
};

describe('streaming block splitter', () => {
  for (const [name, text] of Object.entries(SAMPLES)) {
    it(`keeps every character and renders like the whole answer: ${name}`, () => {
      const whole = renderMarkdownUnsanitised(text);
      for (const sizes of [[1], [2, 3], [7], [64], [text.length]]) {
        const { blocks, rest } = stream(text, sizes);
        assert.strictEqual(blocks.join('') + rest, text, `chunks ${sizes.join(',')}`);
        const pieces = [...blocks, rest].map((block) => renderMarkdownUnsanitised(block)).join('');
        assert.strictEqual(pieces.replace(/\n/g, ''), whole.replace(/\n/g, ''), `chunks ${sizes.join(',')}`);
      }
    });
  }

  it('never freezes a block in the middle of a fenced code block', () => {
    const { blocks } = stream(SAMPLES.fenceWithBlankLines, [1]);
    for (const block of blocks) {
      const fences = block.split('\n').filter((line) => /^```/.test(line)).length;
      assert.strictEqual(fences % 2, 0, JSON.stringify(block));
    }
  });

  it('reports an open top-level fence and where its code starts', () => {
    const splitter = new MarkdownBlockSplitter();
    splitter.push('Intro.\n\n```py\nprint(1)\npri');
    const fence = splitter.openFence;
    assert.ok(fence);
    assert.strictEqual(fence.language, 'py');
    assert.strictEqual(splitter.openBlock.slice(fence.contentStart), 'print(1)\npri');
    assert.deepStrictEqual(splitter.push('nt(2)\n```\n'), ['```py\nprint(1)\nprint(2)\n```\n']);
    assert.strictEqual(splitter.openFence, undefined);
  });

  it('keeps the open block small on a long answer, so the work per delta does not grow with the answer', () => {
    const parts: string[] = [];
    for (let i = 0; parts.join('').length < 500_000; i++) {
      parts.push(
        `## Section ${i}\n\nParagraph ${i} with **bold** and \`code\`.\n\n- item ${i}.a\n- item ${i}.b\n\n\`\`\`ts\nconst v${i} = ${i};\n\`\`\`\n\n> quote ${i}\n\n`,
      );
    }
    const text = parts.join('');
    const { blocks, rest, maxOpen } = stream(text, [96]);
    assert.strictEqual(blocks.join('') + rest, text);
    assert.ok(blocks.length > 10_000, `${blocks.length} blocks`);
    assert.ok(maxOpen < 300, `largest open block ${maxOpen} characters`);
  });

  it('keeps a list in one block, tight or loose', () => {
    for (const text of [SAMPLES.bulletList, SAMPLES.looseList, SAMPLES.orderedList]) {
      const { blocks, rest } = stream(text, [3]);
      const first = [...blocks, rest][0];
      assert.ok(/^(- |1\. )/.test(first));
      assert.strictEqual(renderMarkdownUnsanitised(first).match(/<[uo]l>/g)?.length, 1, text);
    }
  });
});

describe('streaming block splitter with markdown-it as the judge', () => {
  it('waits for the line after a line with a pipe that interrupts a paragraph (it may be a table header)', () => {
    const table = new MarkdownBlockSplitter(judgeBoundaries);
    assert.deepStrictEqual(table.push('Intro\n- a | b\n'), []);
    assert.deepStrictEqual(table.push('|---|---|\n'), ['Intro\n']);
    assert.deepStrictEqual(table.push('| 1 | 2 |\n\nAfter\n'), ['- a | b\n|---|---|\n| 1 | 2 |\n\n']);
    const list = new MarkdownBlockSplitter(judgeBoundaries);
    assert.deepStrictEqual(list.push('Intro\n- a'), []);
    assert.deepStrictEqual(list.push('\n'), ['Intro\n']);
  });

  it('keeps a boundary open while the judge waits, and drops one it rejects', () => {
    let verdict: BoundaryVerdict = 'not yet';
    const splitter = new MarkdownBlockSplitter((_text, offsets) => offsets.map(() => verdict));
    assert.deepStrictEqual(splitter.push('Intro:\n```py\nprint(1)\n'), []);
    assert.strictEqual(splitter.openFence, undefined, 'the fence does not start the open block yet');
    verdict = 'final';
    assert.deepStrictEqual(splitter.push('print(2)\n'), ['Intro:\n']);
    assert.deepStrictEqual(splitter.openFence, { language: 'py', contentStart: 6 });
    verdict = 'never';
    assert.deepStrictEqual(splitter.push('```\nAfter\n'), []);
    assert.strictEqual(splitter.openBlock, '```py\nprint(1)\nprint(2)\n```\nAfter\n');
    verdict = 'final';
    assert.deepStrictEqual(splitter.push('\n# Next\n'), ['```py\nprint(1)\nprint(2)\n```\nAfter\n\n']);
    assert.strictEqual(splitter.openBlock, '# Next\n');
  });

  it('freezes a fenced code block as soon as it closes', () => {
    const splitter = new MarkdownBlockSplitter(judgeBoundaries);
    assert.deepStrictEqual(splitter.push('Intro:\n```py\nprint(1)\n'), ['Intro:\n']);
    assert.deepStrictEqual(splitter.openFence, { language: 'py', contentStart: 6 });
    assert.deepStrictEqual(splitter.push('```\n'), ['```py\nprint(1)\n```\n']);
    assert.strictEqual(splitter.openBlock, '');
  });

  it('keeps a list whose items are separated by blank lines, or start indented, in one block', () => {
    const { blocks, rest } = stream('## Setup\n\n  - install\n- run\n\n - test\n\nDone.\n', [2], judgeBoundaries);
    assert.deepStrictEqual([...blocks, rest], ['## Setup\n\n', '  - install\n- run\n\n - test\n\n', 'Done.\n']);
  });

  it('does not freeze a block before a link definition is settled', () => {
    const { blocks } = stream('[d]: https://example.com\n\'two\nlines\'\n# Heading\n\nText\n', [1], judgeBoundaries);
    assert.deepStrictEqual(blocks, ['[d]: https://example.com\n\'two\nlines\'\n# Heading\n\n']);
  });

  it('freezes only blocks that render as in the whole answer, over 1500 generated answers in random deltas', () => {
    const firstSeed = 7_000;
    for (let seed = firstSeed; seed < firstSeed + 1500; seed++) {
      const random = seededRandom(seed);
      const text = generateDocument(random);
      const splitter = new MarkdownBlockSplitter(judgeBoundaries);
      const blocks = randomChunks(random, text).flatMap((chunk) => splitter.push(chunk));
      blocks.push(splitter.finish());
      assert.strictEqual(blocks.join(''), text, `seed ${seed}`);
      // Rendered knowing all of the answer's definitions, as the view renders them once the answer is finished.
      const scope: ReferenceScope = {};
      const whole = renderMarkdownUnsanitised(text, scope);
      const pieces = blocks.map((block) => renderMarkdownUnsanitised(block, { references: { ...scope.references } }));
      assert.strictEqual(pieces.join(''), whole, `seed ${seed}: ${JSON.stringify(text)}`);
    }
  });
});
