import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  chatCompletionChunks,
  chatCompletionObject,
  fakeCodeSnippet,
  newResponseParts,
  responseObject,
  responsesStream,
  splitDeltas,
  usageFor,
} from '../support/fakeAnswers';
import type { FakeAnyApi, FakeHandler } from '../support/fakeAnyApi';
import { questionOf, sendJson, sseHeaders, startFakeAnyApi } from '../support/fakeAnyApi';
import { activateExtension, eventually, setUserBaseUrl, uniqueKey } from './helpers';

type Block = { index: number; count: number; language: string };
type EditResult = { status: string; id?: string; code?: string; message?: string; block?: Block };
type WriteResult = { status: string; code?: string; message?: string; block?: Block };
type Outcome = { status: string; message?: string };

const ORIGINAL = [
  '// header',
  'function sum(a, b) {',
  '  return a + b;',
  '}',
  '',
  'console.log(sum(1, 2));',
  '',
].join('\n');

function workspaceFile(name: string, content: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test VS Code has a workspace folder');
  const file = path.join(folder.uri.fsPath, name);
  fs.writeFileSync(file, content);
  return vscode.Uri.file(file);
}

async function openWithSelection(name: string, content: string, selection: vscode.Range): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name, content));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  editor.selection = new vscode.Selection(selection.start, selection.end);
  return editor;
}

function proposalTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'anyapi-proposal');
}

/** Changes the document as the user would while the diff is open (the diff now holds the editor's place). */
async function typeInto(document: vscode.TextDocument, change: (edit: vscode.WorkspaceEdit, uri: vscode.Uri) => void): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  change(edit, document.uri);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

const FUNCTION_RANGE = new vscode.Range(1, 0, 4, 0);

/** An answer of the model with a usage example longer than the function that was asked for. */
const FUNCTION_THEN_LONGER_EXAMPLE = [
  'Here is the function with its arguments converted:',
  '',
  '```js',
  'function sum(a, b) {',
  '  return Number(a) + Number(b);',
  '}',
  '```',
  '',
  'Usage:',
  '',
  '```js',
  'console.log(sum(1, 2));',
  'console.log(sum("3", 4));',
  'console.log(sum(5, "6"));',
  'console.log(sum("7", "8"));',
  '```',
].join('\n');

describe('Edit Selection and Write at Cursor', () => {
  let fake: FakeAnyApi;

  before(async () => {
    await activateExtension();
    fake = await startFakeAnyApi();
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-selection'));
    await setUserBaseUrl(fake.url);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await fake?.close();
  });

  /** The next model request is answered with `text`, streamed or not as asked, on whichever endpoint it uses. */
  function answerNextWith(text: string): void {
    const handler: FakeHandler = async (exchange) => {
      const { record, res } = exchange;
      if (record.method !== 'POST' || (record.path !== '/v1/responses' && record.path !== '/v1/chat/completions')) {
        // Not the command's request: answer it normally and keep the script for the next one.
        fake.enqueue(handler);
        await exchange.playDefault();
        return;
      }
      const { allText, model, stream } = questionOf(exchange.body);
      const usage = usageFor(allText, text, model);
      const deltas = splitDeltas(text, 16);
      if (record.path === '/v1/chat/completions') {
        if (!stream) {
          sendJson(res, 200, chatCompletionObject(model, text, usage));
          return;
        }
        res.writeHead(200, sseHeaders);
        res.end(chatCompletionChunks(model, deltas, { usage }).join(''));
        return;
      }
      if (!stream) {
        sendJson(res, 200, responseObject(newResponseParts(model), text, { usage }));
        return;
      }
      const plan = responsesStream(newResponseParts(model), { deltas, usage });
      res.writeHead(200, sseHeaders);
      res.end([...plan.opening, ...plan.deltas, ...plan.closing].join(''));
    };
    fake.enqueue(handler);
  }

  /** Runs Write at Cursor at `cursor` in a new file holding `content`, the model answering with `answer`. */
  async function writeWith(
    name: string,
    content: string,
    cursor: vscode.Position,
    answer: string,
  ): Promise<{ editor: vscode.TextEditor; result: WriteResult }> {
    const editor = await openWithSelection(name, content, new vscode.Range(cursor, cursor));
    answerNextWith(answer);
    const result = await vscode.commands.executeCommand<WriteResult>('anyapi.writeAtCursor', { instruction: 'write it' });
    return { editor, result };
  }

  afterEach(async () => {
    fake.reset();
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const document of vscode.workspace.textDocuments.filter((open) => open.isUntitled)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('proposes the model’s code as a diff, and Accept replaces the selection in one undo step', async () => {
    const editor = await openWithSelection('edit-accept.js', ORIGINAL, FUNCTION_RANGE);
    const result = await vscode.commands.executeCommand<EditResult>('anyapi.editSelection', { instruction: 'Add types [[fake:code]]' });

    assert.strictEqual(result.status, 'proposed', result.message);
    assert.strictEqual(result.code, `${fakeCodeSnippet}\n`, 'the fences and the chatter around the code are stripped');
    const sent = fake.requests[fake.requests.length - 1];
    const prompt = JSON.stringify(sent.body);
    assert.ok(prompt.includes('Add types') && prompt.includes('function sum(a, b)') && prompt.includes('edit-accept.js'), prompt);
    await eventually('the diff of the proposal is open', () => proposalTabs().length === 1);
    assert.strictEqual(editor.document.getText(), ORIGINAL, 'nothing changes before Accept');

    const outcome = await vscode.commands.executeCommand<Outcome>('anyapi.acceptEdit');
    assert.strictEqual(outcome.status, 'accepted');
    const expected = ORIGINAL.replace('function sum(a, b) {\n  return a + b;\n}\n', `${fakeCodeSnippet}\n`);
    assert.strictEqual(editor.document.getText(), expected);
    await eventually('the diff closes after Accept', () => proposalTabs().length === 0);

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await eventually('one undo restores the original', () => editor.document.getText() === ORIGINAL);
  });

  it('Reject leaves the document as it was and closes the diff', async () => {
    const editor = await openWithSelection('edit-reject.js', ORIGINAL, FUNCTION_RANGE);
    const result = await vscode.commands.executeCommand<EditResult>('anyapi.editSelection', { instruction: '[[fake:code]]' });
    assert.strictEqual(result.status, 'proposed');
    await eventually('the diff is open', () => proposalTabs().length === 1);

    const outcome = await vscode.commands.executeCommand<Outcome>('anyapi.rejectEdit');
    assert.strictEqual(outcome.status, 'rejected');
    await eventually('the diff closes after Reject', () => proposalTabs().length === 0);
    assert.strictEqual(editor.document.getText(), ORIGINAL);
    assert.strictEqual(editor.document.isDirty, false);
  });

  it('lands on the same code when lines were added above it meanwhile', async () => {
    const editor = await openWithSelection('edit-moved.js', ORIGINAL, FUNCTION_RANGE);
    const result = await vscode.commands.executeCommand<EditResult>('anyapi.editSelection', { instruction: '[[fake:code]]' });
    assert.strictEqual(result.status, 'proposed');

    await typeInto(editor.document, (edit, uri) => edit.insert(uri, new vscode.Position(0, 0), '// added while the diff was open\n// and another line\n'));
    const outcome = await vscode.commands.executeCommand<Outcome>('anyapi.acceptEdit', undefined);
    assert.strictEqual(outcome.status, 'accepted', outcome.message);
    assert.strictEqual(
      editor.document.getText(),
      `// added while the diff was open\n// and another line\n// header\n${fakeCodeSnippet}\n\nconsole.log(sum(1, 2));\n`,
    );
  });

  it('refuses, with a sentence, when the selected code itself changed meanwhile', async () => {
    const editor = await openWithSelection('edit-changed.js', ORIGINAL, FUNCTION_RANGE);
    const result = await vscode.commands.executeCommand<EditResult>('anyapi.editSelection', { instruction: '[[fake:code]]' });
    assert.strictEqual(result.status, 'proposed');

    await typeInto(editor.document, (edit, uri) => edit.replace(uri, new vscode.Range(2, 2, 2, 14), 'return a - b;'));
    const changed = editor.document.getText();
    const outcome = await vscode.commands.executeCommand<Outcome>('anyapi.acceptEdit');
    assert.strictEqual(outcome.status, 'refused');
    assert.match(outcome.message ?? '', /changed/);
    assert.strictEqual(editor.document.getText(), changed, 'the user’s own change is kept and nothing else is touched');
    assert.strictEqual(proposalTabs().length, 1, 'the proposal stays open so nothing is lost');
    await vscode.commands.executeCommand('anyapi.rejectEdit');
  });

  it('Write at Cursor inserts the code at the cursor in one undo step', async () => {
    const editor = await openWithSelection('write.ts', 'const before = 1;\n\nconst after = 2;\n', new vscode.Range(1, 0, 1, 0));
    const result = await vscode.commands.executeCommand<{ status: string; code?: string }>('anyapi.writeAtCursor', {
      instruction: 'an add function [[fake:code]]',
    });
    assert.strictEqual(result.status, 'inserted');
    assert.strictEqual(editor.document.getText(), `const before = 1;\n${fakeCodeSnippet}\nconst after = 2;\n`);
    const sent = JSON.stringify(fake.requests[fake.requests.length - 1].body);
    assert.ok(sent.includes('const before = 1;') && sent.includes('const after = 2;'), 'the code around the cursor is sent');

    await vscode.commands.executeCommand('undo');
    await eventually('one undo removes the inserted code', () => editor.document.getText() === 'const before = 1;\n\nconst after = 2;\n');
  });

  it('Write at Cursor at the end of a comment line starts the code on a line of its own', async () => {
    const { editor, result } = await writeWith(
      'write-after-comment.js',
      '// parse ISO dates\nconsole.log(parseIso("2024-01-01"));\n',
      new vscode.Position(0, '// parse ISO dates'.length),
      'Here it is:\n\n```js\nfunction parseIso(s) {\n  return new Date(s);\n}\n```\n',
    );
    assert.strictEqual(result.status, 'inserted', result.message);
    assert.strictEqual(
      editor.document.getText(),
      '// parse ISO dates\nfunction parseIso(s) {\n  return new Date(s);\n}\nconsole.log(parseIso("2024-01-01"));\n',
      'no line of the code is glued onto the comment',
    );
  });

  it('Write at Cursor at column 0 of a non-empty line ends the code with a line break', async () => {
    const { editor, result } = await writeWith(
      'write-column-0.ts',
      'import { load } from "./load";\nexport function main() {}\n',
      new vscode.Position(1, 0),
      '```ts\nfunction helper(): number {\n  return load();\n}\n```',
    );
    assert.strictEqual(result.status, 'inserted', result.message);
    assert.strictEqual(
      editor.document.getText(),
      'import { load } from "./load";\nfunction helper(): number {\n  return load();\n}\nexport function main() {}\n',
    );
  });

  it('Write at Cursor writes the line endings of a CRLF document, indented like the line it follows', async () => {
    const { editor, result } = await writeWith(
      'write-crlf.js',
      'function main() {\r\n  const x = load();\r\n}\r\n',
      new vscode.Position(1, '  const x = load();'.length),
      '```js\nif (x) {\n  log(x);\n}\n```',
    );
    assert.strictEqual(editor.document.eol, vscode.EndOfLine.CRLF);
    assert.strictEqual(result.status, 'inserted', result.message);
    assert.strictEqual(editor.document.getText(), 'function main() {\r\n  const x = load();\r\n  if (x) {\r\n    log(x);\r\n  }\r\n}\r\n');
  });

  it('Write at Cursor on an empty line inside an indented block indents the code like the block', async () => {
    const { editor, result } = await writeWith(
      'write-indented.py',
      'def main():\n    items = load()\n\n    return items\n',
      new vscode.Position(2, 0),
      '```python\nfor item in items:\n    print(item)\n```',
    );
    assert.strictEqual(result.status, 'inserted', result.message);
    assert.strictEqual(editor.document.getText(), 'def main():\n    items = load()\n    for item in items:\n        print(item)\n    return items\n');
  });

  it('Write at Cursor inserts the block in the file’s language and says which of several it was', async () => {
    const answer = [
      'Install the parser first:',
      '',
      '```bash',
      'pip install python-dateutil',
      '```',
      '',
      'Then add:',
      '',
      '```python',
      'from dateutil import parser',
      '',
      'def parse_iso(s):',
      '    return parser.isoparse(s)',
      '```',
      '',
      'Example:',
      '',
      '```python',
      'print(parse_iso("2024-01-01"))',
      '```',
    ].join('\n');
    const { editor, result } = await writeWith('write-blocks.py', 'import sys\n', new vscode.Position(1, 0), answer);
    assert.strictEqual(result.status, 'inserted', result.message);
    assert.deepStrictEqual(
      { index: result.block?.index, count: result.block?.count, language: result.block?.language },
      { index: 2, count: 3, language: 'python' },
    );
    assert.match(result.message ?? '', /code block 2 of 3 \(python\)/);
    assert.strictEqual(editor.document.getText(), 'import sys\nfrom dateutil import parser\n\ndef parse_iso(s):\n    return parser.isoparse(s)\n');
  });

  it('Edit Selection proposes the function, not a usage example longer than it, and says which block it took', async () => {
    const editor = await openWithSelection('edit-usage-example.js', ORIGINAL, FUNCTION_RANGE);
    answerNextWith(FUNCTION_THEN_LONGER_EXAMPLE);
    const result = await vscode.commands.executeCommand<EditResult>('anyapi.editSelection', { instruction: 'accept strings' });

    assert.strictEqual(result.status, 'proposed', result.message);
    assert.strictEqual(result.code, 'function sum(a, b) {\n  return Number(a) + Number(b);\n}\n');
    assert.deepStrictEqual(
      { index: result.block?.index, count: result.block?.count, language: result.block?.language },
      { index: 1, count: 2, language: 'js' },
    );
    assert.match(result.message ?? '', /code block 1 of 2 \(js\)/);
    const prompt = JSON.stringify(fake.requests[fake.requests.length - 1].body);
    assert.ok(prompt.includes('The first javascript block of your answer'), 'the prompt says which block is applied');
    await eventually('the diff of the proposal is open', () => proposalTabs().length === 1);

    const outcome = await vscode.commands.executeCommand<Outcome>('anyapi.rejectEdit');
    assert.strictEqual(outcome.status, 'rejected');
    assert.strictEqual(editor.document.getText(), ORIGINAL);
  });

  it('cancelling ends the request, closes the connection and changes nothing', async () => {
    const editor = await openWithSelection('write-cancel.ts', 'let x = 1;\n', new vscode.Range(1, 0, 1, 0));
    const source = new vscode.CancellationTokenSource();
    const before = fake.requests.length;
    const running = vscode.commands.executeCommand<{ status: string }>('anyapi.writeAtCursor', {
      instruction: 'slow [[fake:slow]]',
      cancellation: source.token,
    });
    await eventually('the request reached the server', () => fake.requests.length > before);
    source.cancel();
    const result = await running;
    assert.strictEqual(result.status, 'cancelled');
    const request = fake.requests[before];
    await eventually('the server saw the connection close', () => request.closedEarly === true);
    assert.strictEqual(editor.document.getText(), 'let x = 1;\n');
  });

  it('never applies an answer that was cut short: the file is unchanged and what arrived opens in a new editor', async () => {
    const editor = await openWithSelection('edit-incomplete.js', ORIGINAL, FUNCTION_RANGE);
    const result = await vscode.commands.executeCommand<EditResult>('anyapi.editSelection', { instruction: 'Rewrite [[fake:incomplete]]' });
    assert.strictEqual(result.status, 'failed');
    assert.match(result.message ?? '', /cut short \(max_output_tokens\)/);
    assert.strictEqual(editor.document.getText(), ORIGINAL);
    assert.strictEqual(proposalTabs().length, 0, 'nothing is proposed');
    await eventually('the partial answer is open in an untitled editor', () =>
      vscode.window.visibleTextEditors.some((shown) => shown.document.isUntitled && shown.document.getText().includes('Echo:')),
    );
  });

  it('keeps the partial answer of a failed Write at Cursor in a new editor and leaves the file alone', async () => {
    const editor = await openWithSelection('write-error.ts', 'let y = 2;\n', new vscode.Range(1, 0, 1, 0));
    const result = await vscode.commands.executeCommand<{ status: string; message?: string }>('anyapi.writeAtCursor', {
      instruction: 'fails midway [[fake:stream-error]]',
    });
    assert.strictEqual(result.status, 'failed');
    assert.match(result.message ?? '', /上游服务错误/, 'the server’s own words reach the user');
    assert.strictEqual(editor.document.getText(), 'let y = 2;\n');
    await eventually('the partial answer is open in an untitled editor', () =>
      vscode.window.visibleTextEditors.some((shown) => shown.document.isUntitled && shown.document.getText() === 'Partial answer before error'),
    );
  });

  it('offers Set API Key instead of sending anything when no key is set', async () => {
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    try {
      await openWithSelection('nokey.js', ORIGINAL, FUNCTION_RANGE);
      const before = fake.requests.length;
      const result = await vscode.commands.executeCommand<EditResult>('anyapi.editSelection', { instruction: '[[fake:code]]' });
      assert.strictEqual(result.status, 'unavailable');
      assert.strictEqual(fake.requests.length, before, 'nothing was sent');
    } finally {
      await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-selection'));
    }
  });
  /** A Jupyter notebook in the workspace with one Python code cell, its cell's editor active with `selection`. */
  async function openNotebookCell(name: string, source: string, selection: vscode.Range): Promise<vscode.TextEditor> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = path.join(folder.uri.fsPath, name);
    const cell = { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: source.split(/(?<=\n)/) };
    const notebookJson = { cells: [cell], metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 };
    fs.writeFileSync(file, JSON.stringify(notebookJson));
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    const cellDocument = notebook.cellAt(0).document;
    const editor = await vscode.window.showTextDocument(cellDocument);
    editor.selection = new vscode.Selection(selection.start, selection.end);
    await eventually('the cell’s editor is the active one', () => vscode.window.activeTextEditor?.document === cellDocument);
    return editor;
  }

  const CELL = 'def area(r):\n    return 3.14 * r * r\n';

  it('Edit Selection works on a selection in a notebook cell, in the cell’s language, named after the notebook and the cell', async () => {
    const editor = await openNotebookCell('edit-cell.ipynb', CELL, new vscode.Range(0, 0, 1, 23));
    assert.strictEqual(editor.document.languageId, 'python');
    answerNextWith('```python\nimport math\n\ndef area(r):\n    return math.pi * r * r\n```');
    const result = await vscode.commands.executeCommand<EditResult>('anyapi.editSelection', { instruction: 'use math.pi' });
    assert.strictEqual(result.status, 'proposed', result.message);
    const prompt = JSON.stringify(fake.requests.at(-1)?.body);
    assert.ok(prompt.includes('```python') && prompt.includes('edit-cell.ipynb, cell 1'), prompt);
    assert.ok(!prompt.includes(path.dirname(editor.document.uri.fsPath)), 'the prompt names the notebook by its absolute path');
    const outcome = await vscode.commands.executeCommand<Outcome>('anyapi.acceptEdit');
    assert.strictEqual(outcome.status, 'accepted', outcome.message);
    assert.strictEqual(editor.document.getText(), 'import math\n\ndef area(r):\n    return math.pi * r * r\n');
    await vscode.workspace.saveAll(false);
  });

  it('Write at Cursor and Explain work in a notebook cell', async () => {
    // The cursor on the blank line before the top-level call: the code lands there, at the call's indentation.
    const editor = await openNotebookCell('write-cell.ipynb', `${CELL}\nprint(area(2))\n`, new vscode.Range(2, 0, 2, 0));
    answerNextWith('```python\ndef circumference(r):\n    return 2 * 3.14 * r\n```');
    const written = await vscode.commands.executeCommand<WriteResult>('anyapi.writeAtCursor', { instruction: 'circumference' });
    assert.strictEqual(written.status, 'inserted', written.message);
    const text = editor.document.getText();
    assert.ok(text.startsWith(`${CELL}def circumference(r):\n    return 2 * 3.14 * r\n`), text);
    assert.ok(text.endsWith('print(area(2))\n'), text);

    editor.selection = new vscode.Selection(0, 0, 1, 23);
    const explained = await vscode.commands.executeCommand<{ status: string; message?: string }>('anyapi.explainSelection');
    assert.strictEqual(explained.status, 'answered', explained.message);
    const prompt = ((fake.requests.at(-1)?.body as { input?: { content: string }[] }).input ?? []).map((m) => m.content).join('\n');
    assert.ok(prompt.includes('```python\ndef area(r):') && prompt.includes('write-cell.ipynb, cell 1'), prompt);
    await vscode.workspace.saveAll(false);
  });

  it('a file outside the workspace is named by its file name, never by its absolute path', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-outside-'));
    const file = path.join(outside, 'outside.js');
    fs.writeFileSync(file, ORIGINAL);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    editor.selection = new vscode.Selection(FUNCTION_RANGE.start, FUNCTION_RANGE.end);
    const result = await vscode.commands.executeCommand<EditResult>('anyapi.editSelection', { instruction: 'Add types [[fake:code]]' });
    assert.strictEqual(result.status, 'proposed', result.message);
    const prompt = JSON.stringify(fake.requests.at(-1)?.body);
    assert.ok(prompt.includes('outside.js'), prompt);
    assert.ok(!prompt.includes(outside), `the prompt holds the absolute path ${outside}`);
    const titles = vscode.window.tabGroups.all.flatMap((group) => group.tabs).map((tab) => tab.label);
    assert.ok(titles.some((title) => title.includes('outside.js')) && !titles.some((title) => title.includes(outside)), titles.join(' | '));
    await vscode.commands.executeCommand('anyapi.rejectEdit');
  });
});
