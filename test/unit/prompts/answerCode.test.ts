import * as assert from 'assert';
import { extractCode, fenceLanguage } from '../../../src/prompts/answerCode';

const fenced = (info: string, code: string): string => '```' + info + '\n' + code + '\n```';

describe('extractCode', () => {
  it('takes the fenced code and drops the chatter around it, saying which block it is', () => {
    const answer = 'Sure! Here is the code:\n\n```ts\nconst a: number = 1;\n```\n\nHope this helps.';
    assert.deepStrictEqual(extractCode(answer, 'typescript'), { code: 'const a: number = 1;', index: 1, count: 1, language: 'ts' });
  });

  it('takes the function, not a usage example longer than it', () => {
    const answer = [
      'Here is the function:',
      '',
      fenced('python', 'def add(a, b):\n    return a + b'),
      '',
      'Usage:',
      '',
      fenced('python', 'for i in range(10):\n    print(add(i, i))\nprint(add(1, 2))\nprint(add(3, 4))'),
    ].join('\n');
    assert.deepStrictEqual(extractCode(answer, 'python'), { code: 'def add(a, b):\n    return a + b', index: 1, count: 2, language: 'python' });
  });

  it('takes the first block in the file’s language over an earlier block in another one', () => {
    const answer = `First install it:\n\n${fenced('bash', 'pip install --upgrade python-dateutil requests')}\n\nThen:\n\n${fenced('python', 'parse(s)')}`;
    assert.deepStrictEqual(extractCode(answer, 'python'), { code: 'parse(s)', index: 2, count: 2, language: 'python' });
  });

  it('counts a block that names no language as one in the file’s language', () => {
    const answer = `${fenced('', 'untagged()')}\n\n${fenced('ts', 'export function typed(): void {\n  untagged();\n}')}`;
    assert.deepStrictEqual(extractCode(answer, 'typescript'), { code: 'untagged()', index: 1, count: 2, language: '' });
  });

  it('takes the first block when none is in the file’s language', () => {
    const answer = `${fenced('bash', 'npm i')}\n\n${fenced('sh', 'npm run build && npm test && npm run package')}`;
    assert.deepStrictEqual(extractCode(answer, 'python'), { code: 'npm i', index: 1, count: 2, language: 'bash' });
  });

  it('keeps the leading indentation of an answer without fences, dropping only the blank lines around it', () => {
    assert.deepStrictEqual(extractCode('\n\n    return a + b;\n  }\n\n', 'javascript'), {
      code: '    return a + b;\n  }',
      index: 0,
      count: 0,
      language: '',
    });
  });

  it('takes a fence indented inside a list without the list’s indentation', () => {
    const answer = '1. Replace the function with:\n\n   ```python\n   def f():\n       return 1\n   ```\n\n2. Run the tests.';
    assert.strictEqual(extractCode(answer, 'python').code, 'def f():\n    return 1');
  });

  it('does not let an empty first fence swallow the text after it', () => {
    const answer = '```\n```\n\nThe fix:\n\n```js\nfix();\n```';
    assert.deepStrictEqual(extractCode(answer, 'javascript'), { code: 'fix();', index: 2, count: 2, language: 'js' });
  });

  it('finds no code in an answer whose fences are all empty', () => {
    assert.deepStrictEqual(extractCode('```js\n```\n\nNothing to change.', 'javascript'), { code: '', index: 0, count: 1, language: '' });
  });

  it('handles a fence the model never closed without its trailing line break', () => {
    assert.strictEqual(extractCode('```python\nprint(1)\n', 'python').code, 'print(1)');
  });

  it('reads an answer with CRLF line endings without carriage returns in the code', () => {
    assert.strictEqual(extractCode('Here:\r\n\r\n```py\r\ndef f():\r\n    pass\r\n```\r\n', 'python').code, 'def f():\n    pass');
  });

  it('keeps tilde fences, and backtick fences inside a longer fence, as CommonMark does', () => {
    assert.strictEqual(extractCode('~~~\nx = 1\n~~~', 'python').code, 'x = 1');
    assert.strictEqual(extractCode('````markdown\n```js\nx\n```\n````', 'markdown').code, '```js\nx\n```');
    assert.strictEqual(extractCode('~~~python\nquote = """\n```\n"""\n~~~', 'python').code, 'quote = """\n```\n"""');
  });

  it('keeps indentation inside the block', () => {
    assert.strictEqual(extractCode('```\n    indented()\n  less()\n```').code, '    indented()\n  less()');
  });

  describe('matches the fence’s language to the file’s, by the names models use', () => {
    const cases: [languageId: string, info: string][] = [
      ['typescript', 'ts'],
      ['typescript', 'TypeScript'],
      ['typescript', 'ts:src/dates.ts'],
      ['typescriptreact', 'tsx'],
      ['typescriptreact', 'typescript'],
      ['javascript', 'js'],
      ['javascript', 'js title="dates.js"'],
      ['javascriptreact', 'jsx'],
      ['python', 'py'],
      ['python', 'Python'],
      ['python', '{.python}'],
      ['shellscript', 'bash'],
      ['shellscript', 'sh'],
      ['csharp', 'c#'],
      ['csharp', 'cs'],
      ['cpp', 'c++'],
      ['go', 'golang'],
      ['rust', 'rs'],
      ['yaml', 'yml'],
      ['ruby', 'rb'],
      ['kotlin', 'kt'],
      ['markdown', 'md'],
      ['powershell', 'ps1'],
      ['java', 'java'],
    ];
    for (const [languageId, info] of cases) {
      it(`a ${languageId} file takes the \`${info}\` block`, () => {
        const example = fenced('text', 'a much longer block of example output\nthat is not the code that was asked for\nat all');
        const answer = `${example}\n\n${fenced(info, 'wanted()')}`;
        assert.deepStrictEqual(extractCode(answer, languageId), { code: 'wanted()', index: 2, count: 2, language: fenceLanguage(info) });
      });
    }
  });

  describe('takes the first block in the file’s language wherever it is among others', () => {
    for (let count = 2; count <= 5; count++) {
      for (let wanted = 1; wanted <= count; wanted++) {
        it(`block ${wanted} of ${count}`, () => {
          const blocks = Array.from({ length: count }, (_, position) =>
            position + 1 === wanted
              ? fenced('go', 'func wanted() {}')
              : fenced('sh', `# step ${position + 1}: a longer shell block than the Go one\ngo build ./... && go test ./...`),
          );
          const answer = blocks.map((block, position) => `Step ${position + 1}:\n\n${block}`).join('\n\n');
          assert.deepStrictEqual(extractCode(answer, 'go'), { code: 'func wanted() {}', index: wanted, count, language: 'go' });
        });
      }
    }
  });
});

describe('fenceLanguage', () => {
  it('is the first word of the info string', () => {
    assert.strictEqual(fenceLanguage('python'), 'python');
    assert.strictEqual(fenceLanguage(' ts:src/a.ts'), 'ts');
    assert.strictEqual(fenceLanguage('{.rust}'), 'rust');
    assert.strictEqual(fenceLanguage('js title="a.js"'), 'js');
    assert.strictEqual(fenceLanguage('c++'), 'c++');
    assert.strictEqual(fenceLanguage(''), '');
  });
});
