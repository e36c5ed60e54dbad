import * as assert from 'assert';
import { buildPrompt, DEFAULT_TEMPLATES, displayLanguageName, extractCode, fence } from '../../../src/prompts/templates';

const values = {
  code: 'function add(a, b) {\n  return a + b;\n}',
  language: 'javascript',
  fileName: 'src/math.js',
  lineRange: '3-5',
  question: 'Add types',
  displayLanguage: 'Simplified Chinese (简体中文)',
};

describe('prompt templates', () => {
  it('fills every placeholder of the default explain prompt and fences the code with its language', () => {
    const prompt = buildPrompt('explain', values);
    assert.ok(prompt.includes('`src/math.js` (lines 3-5)'));
    assert.ok(prompt.includes('Answer in Simplified Chinese (简体中文).'));
    assert.ok(prompt.includes('```javascript\nfunction add(a, b) {\n  return a + b;\n}\n```'));
    assert.ok(!/\{\w+\}/.test(prompt), prompt);
  });

  it('puts the question first for Ask and the instruction into Edit and Write', () => {
    assert.ok(buildPrompt('ask', { ...values, question: 'Why b?' }).startsWith('Why b?\n'));
    assert.ok(buildPrompt('edit', values).includes('Instruction: Add types'));
    const write = buildPrompt('write', { ...values, before: 'const x = 1;', after: 'export {};' });
    assert.ok(write.includes('```javascript\nconst x = 1;\n```'));
    assert.ok(write.includes('```javascript\nexport {};\n```'));
  });

  it('uses an override from the settings, leaving an unknown placeholder visible', () => {
    const prompt = buildPrompt('explain', values, 'Explain {fileName} in {displayLanguage}: {code} {unknown}');
    assert.strictEqual(
      prompt,
      'Explain src/math.js in Simplified Chinese (简体中文): ```javascript\nfunction add(a, b) {\n  return a + b;\n}\n``` {unknown}',
    );
  });

  it('does not fence code twice when the override already fences it', () => {
    const prompt = buildPrompt('explain', values, 'Look:\n```\n{code}\n```');
    assert.strictEqual(prompt, 'Look:\n```\nfunction add(a, b) {\n  return a + b;\n}\n```');
  });

  it('falls back to the default template for an empty override', () => {
    assert.strictEqual(buildPrompt('edit', values, '   '), buildPrompt('edit', values));
    assert.ok(DEFAULT_TEMPLATES.write.includes('{before}'));
  });

  it('makes a fence longer than any backtick run inside the code', () => {
    assert.strictEqual(fence('a ``` b', 'md'), '````md\na ``` b\n````');
  });
});

describe('displayLanguageName', () => {
  it('names the display language for the model', () => {
    assert.strictEqual(displayLanguageName('zh-cn'), 'Simplified Chinese (简体中文)');
    assert.strictEqual(displayLanguageName('en'), 'English');
    assert.strictEqual(displayLanguageName('de-ch'), 'German (Deutsch)');
    assert.strictEqual(displayLanguageName('xx'), 'xx');
  });
});

describe('extractCode', () => {
  it('takes the fenced code and drops the chatter around it', () => {
    const answer = 'Sure! Here is the code:\n\n```ts\nconst a: number = 1;\n```\n\nHope this helps.';
    assert.strictEqual(extractCode(answer), 'const a: number = 1;');
  });

  it('takes the largest block when there are several', () => {
    const answer = '```sh\nnpm i\n```\n\n```ts\nexport function f(): void {\n  g();\n}\n```';
    assert.strictEqual(extractCode(answer), 'export function f(): void {\n  g();\n}');
  });

  it('keeps an answer without fences as it is, trimmed', () => {
    assert.strictEqual(extractCode('\n  return a + b;\n'), 'return a + b;');
  });

  it('handles a fence the model never closed, and tilde fences', () => {
    assert.strictEqual(extractCode('```python\nprint(1)\n'), 'print(1)\n');
    assert.strictEqual(extractCode('~~~\nx = 1\n~~~'), 'x = 1');
  });

  it('keeps indentation inside the block', () => {
    assert.strictEqual(extractCode('```\n    indented()\n  less()\n```'), '    indented()\n  less()');
  });
});
