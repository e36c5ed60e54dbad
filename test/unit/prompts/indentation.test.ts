import * as assert from 'assert';
import type { CursorLine, IndentStyle } from '../../../src/prompts/indentation';
import { fitReplacement, leadingWhitespace, placeAtCursor, rebaseIndentation } from '../../../src/prompts/indentation';

const SPACES_2: IndentStyle = { insertSpaces: true, tabSize: 2 };
const TABS_4: IndentStyle = { insertSpaces: false, tabSize: 4 };

/** The cursor's line after Write inserts `code`, replacing the whitespace right after the cursor as the command does. */
function written(code: string, line: Partial<CursorLine> & Pick<CursorLine, 'before' | 'after'>): string {
  const cursorLine: CursorLine = { eol: '\n', ...line };
  const rest = cursorLine.after.slice(leadingWhitespace(cursorLine.after).length);
  return cursorLine.before + placeAtCursor(code, cursorLine) + rest;
}

const PARSE_ISO = 'function parseIso(s) {\n  return new Date(s);\n}';

describe('placeAtCursor (Write at Cursor)', () => {
  it('starts the code on its own line at the end of a comment line, so no line of it is commented out', () => {
    assert.strictEqual(written(PARSE_ISO, { before: '// parse ISO dates', after: '' }), `// parse ISO dates\n${PARSE_ISO}`);
  });

  it('ends the code with a line break at column 0 of a non-empty line, so the line is not glued to it', () => {
    assert.strictEqual(
      written('function helper() {}', { before: '', after: 'export function main() {}' }),
      'function helper() {}\nexport function main() {}',
    );
  });

  it('writes the line breaks of a CRLF document', () => {
    assert.strictEqual(
      written(PARSE_ISO, { before: '// parse ISO dates', after: '', eol: '\r\n' }),
      '// parse ISO dates\r\nfunction parseIso(s) {\r\n  return new Date(s);\r\n}',
    );
    assert.strictEqual(written('a();\r\nb();', { before: '', after: 'c();', eol: '\r\n' }), 'a();\r\nb();\r\nc();');
  });

  it('indents the code like the line it lands after, inside an indented block', () => {
    assert.strictEqual(
      written('if (x) {\n  y();\n}', { before: '    const x = 1;', after: '' }),
      '    const x = 1;\n    if (x) {\n      y();\n    }',
    );
  });

  it('keeps the indentation of the line the cursor is in the whitespace of', () => {
    assert.strictEqual(written('bar();\nbaz();', { before: '  ', after: '  foo();' }), '    bar();\n    baz();\n    foo();');
    assert.strictEqual(written('bar();', { before: '', after: '    foo();' }), '    bar();\n    foo();');
  });

  it('indents code on an indented blank line where the cursor is', () => {
    assert.strictEqual(written('a();\nb();', { before: '    ', after: '' }), '    a();\n    b();');
  });

  it('indents code on an empty line like the code after it', () => {
    assert.strictEqual(written('a();\nb();', { before: '', after: '', nextLine: '    return x;', previousLine: '    const x = 1;' }), '    a();\n    b();');
    // Python: an empty line between two functions is not in the first one's body.
    assert.strictEqual(written('def h():\n    pass', { before: '', after: '', nextLine: 'def g():', previousLine: '    return 1' }), 'def h():\n    pass');
    assert.strictEqual(written('tail()', { before: '', after: '', previousLine: '  last()' }), '  tail()');
  });

  it('inserts code into an empty document as it is', () => {
    assert.strictEqual(placeAtCursor(PARSE_ISO, { before: '', after: '', eol: '\n' }), PARSE_ISO);
  });

  it('adds no line break after the code on a last line without one', () => {
    assert.strictEqual(placeAtCursor('b();', { before: 'a();', after: '', eol: '\n' }), '\nb();');
  });

  it('keeps the file ending with a line break when the code lands on its blank last line', () => {
    assert.strictEqual(placeAtCursor('b();\n', { before: '', after: '', lastLine: true, eol: '\n' }), 'b();\n');
    assert.strictEqual(placeAtCursor('b();', { before: 'a();', after: '', lastLine: true, eol: '\n' }), '\nb();');
  });

  it('does not double the line break when the code already ends with one', () => {
    assert.strictEqual(written('x();\n\n', { before: '', after: 'y();' }), 'x();\ny();');
    assert.strictEqual(placeAtCursor('x();\n', { before: '', after: '', eol: '\n' }), 'x();');
  });

  it('converts the code’s relative indentation to the document’s tabs or spaces', () => {
    assert.strictEqual(written('if (a) {\n    b();\n}', { before: '\t', after: '', style: TABS_4 }), '\tif (a) {\n\t\tb();\n\t}');
    assert.strictEqual(written('if (a) {\n\tb();\n}', { before: '  ', after: '', style: SPACES_2 }), '  if (a) {\n    b();\n  }');
  });

  it('re-bases code the model indented already, instead of indenting it twice', () => {
    assert.strictEqual(written('    a();\n      b();', { before: '  ', after: '' }), '  a();\n    b();');
  });

  it('splits a line that has text on both sides of the cursor', () => {
    assert.strictEqual(written('c();', { before: '  a(); ', after: ' b();' }), '  a(); \n  c();\n  b();');
  });

  it('leaves blank lines inside the code empty', () => {
    assert.strictEqual(written('a();\n\n  b();', { before: '    ', after: '' }), '    a();\n\n      b();');
  });
});

describe('fitReplacement (Edit Selection)', () => {
  const METHOD = '    def f(self):\n        return 1\n';

  for (const [kind, answer] of [
    ['dedented', 'def f(self):\n    return 2'],
    ['indented like the original', '    def f(self):\n        return 2'],
    ['indented twice', '        def f(self):\n            return 2'],
  ] as const) {
    it(`indents an answer ${kind} like the selection’s first line`, () => {
      assert.strictEqual(fitReplacement(answer, { text: METHOD, linePrefix: '', eol: '\n' }), '    def f(self):\n        return 2\n');
    });
  }

  const FROM_FIRST_CHARACTER = { text: 'if (x) {\n      y();\n    }', linePrefix: '    ', eol: '\n' };
  for (const [kind, answer] of [
    ['in the frame of the code sent', 'if (x) {\n      z();\n    }'],
    ['dedented', 'if (x) {\n  z();\n}'],
    ['indented on every line', '    if (x) {\n      z();\n    }'],
  ] as const) {
    it(`fits a selection that starts after the indentation, the answer ${kind}`, () => {
      assert.strictEqual(fitReplacement(answer, FROM_FIRST_CHARACTER), 'if (x) {\n      z();\n    }');
    });
  }

  it('fits a selection that starts in the middle of the indentation', () => {
    const selection = { text: '  if (x) {\n      y();\n    }', linePrefix: '  ', eol: '\n' };
    assert.strictEqual(fitReplacement('  if (x) {\n      z();\n    }', selection), '  if (x) {\n      z();\n    }');
  });

  it('replaces an expression in the middle of a line in place', () => {
    assert.strictEqual(fitReplacement('a - b', { text: 'a + b', linePrefix: '  return ', eol: '\n' }), 'a - b');
    assert.strictEqual(
      fitReplacement('foo(a,\n      b, c)', { text: 'foo(a,\n      b)', linePrefix: '  const x = ', eol: '\n' }),
      'foo(a,\n      b, c)',
    );
  });

  it('keeps the line breaks the selection starts and ends with', () => {
    assert.strictEqual(fitReplacement('function g() {}', { text: '\nfunction f() {}\n\n', linePrefix: '// header', eol: '\n' }), '\nfunction g() {}\n\n');
    assert.strictEqual(fitReplacement('x();\n', { text: 'y();', linePrefix: '', eol: '\n' }), 'x();');
  });

  it('writes the line breaks of a CRLF document', () => {
    assert.strictEqual(fitReplacement('a();\nc();', { text: '  a();\r\n  b();\r\n', linePrefix: '', eol: '\r\n' }), '  a();\r\n  c();\r\n');
  });

  it('converts the answer’s indentation to the document’s tabs', () => {
    assert.strictEqual(
      fitReplacement('func f() {\n    g()\n}', { text: '\tfunc f() {\n\t\th()\n\t}\n', linePrefix: '', eol: '\n', style: TABS_4 }),
      '\tfunc f() {\n\t\tg()\n\t}\n',
    );
  });
});

describe('rebaseIndentation', () => {
  it('dedents by the whitespace the lines share, also when it mixes tabs and spaces', () => {
    assert.strictEqual(rebaseIndentation('\t  a\n\t  \tb', { indent: '', linePrefix: '', eol: '\n' }), 'a\n\tb');
  });

  it('is empty for blank code', () => {
    assert.strictEqual(rebaseIndentation(' \n\t\n', { indent: '  ', linePrefix: '', eol: '\n' }), '');
  });
});
