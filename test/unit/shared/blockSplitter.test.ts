import * as assert from 'assert';
import { MarkdownBlockSplitter } from '../../../src/shared/blockSplitter';
import { renderMarkdownUnsanitised } from '../../../src/webview-ui/markdownIt';

/** Feeds `text` in chunks of the given sizes (cycled) and returns the frozen blocks and the rest. */
function stream(text: string, sizes: number[]): { blocks: string[]; rest: string; maxOpen: number } {
  const splitter = new MarkdownBlockSplitter();
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
