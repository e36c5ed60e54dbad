import * as assert from 'assert';
import { buildPrompt, DEFAULT_TEMPLATES, displayLanguageName, fence } from '../../../src/prompts/templates';

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

  it('tells Edit and Write which block of the answer is applied: the first one, in the file’s language', () => {
    for (const kind of ['edit', 'write'] as const) {
      const prompt = buildPrompt(kind, { ...values, before: '', after: '' });
      const sentences = prompt.replace(/\s+/g, ' ');
      assert.ok(sentences.includes('one fenced code block marked javascript'), prompt);
      assert.ok(sentences.includes('The first javascript block of your answer'), prompt);
      assert.ok(sentences.includes('no usage example or other fenced block before it'), prompt);
      assert.ok(!/\{\w+\}/.test(prompt), prompt);
    }
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
