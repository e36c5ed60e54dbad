import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeAnyApi } from '../support/fakeAnyApi';
import { startFakeAnyApi } from '../support/fakeAnyApi';
import { activateExtension, eventually, packageJson, setUserBaseUrl, uniqueKey } from './helpers';

type ChatResult = { status: string; message?: string; answer?: { state: string; text: string; model?: string } };

const SOURCE = ['// math helpers', 'function sum(a, b) {', '  return a + b;', '}', ''].join('\n');

async function open(name: string, content: string, selection: vscode.Range): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  const file = path.join(folder.uri.fsPath, name);
  fs.writeFileSync(file, content);
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  editor.selection = new vscode.Selection(selection.start, selection.end);
  return editor;
}

function lastUserMessage(fake: FakeAnyApi): string {
  const body = fake.requests[fake.requests.length - 1].body as { input: { role: string; content: string }[] };
  return body.input.filter((message) => message.role === 'user').pop()?.content ?? '';
}

describe('Explain Selection and Ask About Selection', () => {
  let fake: FakeAnyApi;

  before(async () => {
    await activateExtension();
    fake = await startFakeAnyApi();
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-explain'));
    await setUserBaseUrl(fake.url);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await fake?.close();
  });

  it('Explain sends the selected code with its language, file name and lines, and streams the answer into the chat', async () => {
    await open('explain.js', SOURCE, new vscode.Range(1, 0, 4, 0));
    const result = await vscode.commands.executeCommand<ChatResult>('anyapi.explainSelection');

    assert.strictEqual(result.status, 'answered', result.message);
    assert.strictEqual(result.answer?.state, 'done');
    const sent = lastUserMessage(fake);
    assert.ok(sent.includes('```javascript\nfunction sum(a, b) {\n  return a + b;\n}\n```'), sent);
    assert.ok(sent.includes('`explain.js` (lines 2-4)'), sent);
    assert.ok(/Answer in English/.test(sent), 'the model is asked to answer in the display language');
    assert.ok(result.answer?.text.startsWith('**Echo:** Explain the following javascript code'), result.answer?.text);
  });

  it('Ask puts the user’s question first, with the code', async () => {
    await open('ask.js', SOURCE, new vscode.Range(1, 0, 4, 0));
    const result = await vscode.commands.executeCommand<ChatResult>('anyapi.askAboutSelection', { instruction: 'Why not use reduce?' });

    assert.strictEqual(result.answer?.state, 'done');
    const sent = lastUserMessage(fake);
    assert.ok(sent.startsWith('Why not use reduce?'), sent);
    assert.ok(sent.includes('function sum(a, b)'), sent);
    assert.strictEqual(result.answer?.text.split('\n')[0], '**Echo:** Why not use reduce?');
  });

  it('with nothing selected in a small file, explains the function around the cursor or else the whole file', async () => {
    const editor = await open('cursor.js', SOURCE, new vscode.Range(2, 4, 2, 4));
    const result = await vscode.commands.executeCommand<ChatResult>('anyapi.explainSelection');
    assert.strictEqual(result.answer?.state, 'done');
    const sent = lastUserMessage(fake);
    assert.ok(sent.includes('function sum(a, b) {\n  return a + b;\n}'), sent);
    assert.ok(/lines (2-4|1-5)/.test(sent), sent);
    assert.strictEqual(editor.document.getText(), SOURCE);
  });

  it('Stop (a cancelled request) keeps the partial answer marked as stopped, and closes the connection', async () => {
    await open('stop.js', SOURCE, new vscode.Range(1, 0, 4, 0));
    const source = new vscode.CancellationTokenSource();
    const before = fake.requests.length;
    const running = vscode.commands.executeCommand<ChatResult>('anyapi.askAboutSelection', {
      instruction: 'Take your time [[fake:slow]]',
      cancellation: source.token,
    });
    await eventually('the request reached the server', () => fake.requests.length > before);
    await eventually('some of the answer arrived', async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return true;
    });
    source.cancel();
    const result = await running;
    assert.strictEqual(result.answer?.state, 'stopped');
    await eventually('the server saw the connection close', () => fake.requests[before].closedEarly === true);
  });

  it('default keybindings clash with no built-in one', async () => {
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    await eventually('the default keybindings are open', () => vscode.window.activeTextEditor?.document.uri.toString().includes('keybindings') === true);
    const defaults = vscode.window.activeTextEditor!.document.getText();
    const manifest = packageJson() as unknown as { contributes: { keybindings: { command: string; key: string; mac?: string }[] } };
    const platformKey = (binding: { key: string; mac?: string }): string => (process.platform === 'darwin' && binding.mac ? binding.mac : binding.key);
    for (const binding of manifest.contributes.keybindings) {
      const key = platformKey(binding);
      const pattern = new RegExp(`"key":\\s*"${key.replace(/[+]/g, '\\+')}",\\s*"command":\\s*"(?!anyapi\\.)([^"]+)"`, 'g');
      const clashes = [...defaults.matchAll(pattern)].map((match) => match[1]);
      assert.deepStrictEqual(clashes, [], `${key} (${binding.command}) is already bound by VS Code`);
    }
    assert.ok(/"key":\s*"ctrl\+shift\+p"/.test(defaults), 'the default keybindings were read');
  });
});
