import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeAnyApi } from '../support/fakeAnyApi';
import { startFakeAnyApi } from '../support/fakeAnyApi';
import type { AnyApiTestSurface } from './helpers';
import { activateExtension, setUserBaseUrl, uniqueKey } from './helpers';

// On Linux desktops without a keyring, VS Code's secret storage throws on every call. The extension in test mode can
// be told to meet such a secret storage; everything that needs the key must say so, and the rest must keep working.

interface WithFailingSecrets extends AnyApiTestSurface {
  failSecretStorage?(failing: boolean): void;
}

type ChatResult = { status: string; message?: string; answer?: { state: string; text: string } };

const SENTENCE = /secret storage is not available, so the AnyAPI key cannot be read or stored\. On Linux, .*--password-store=basic/;

describe('When VS Code’s secret storage cannot be used (Linux without a keyring)', () => {
  let fake: FakeAnyApi;
  let api: WithFailingSecrets;

  before(async () => {
    api = (await activateExtension()) as WithFailingSecrets;
    assert.ok(api.failSecretStorage, 'the extension in test mode offers failSecretStorage');
    fake = await startFakeAnyApi();
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-keyring'));
    await setUserBaseUrl(fake.url);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = path.join(folder.uri.fsPath, 'keyring.js');
    fs.writeFileSync(file, 'function answer() {\n  return 42;\n}\n');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    editor.selection = new vscode.Selection(0, 0, 3, 0);
  });

  after(async () => {
    api.failSecretStorage?.(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await fake?.close();
  });

  it('Explain says secret storage is unavailable and what to do, sends nothing, and works again once it is back', async () => {
    api.failSecretStorage?.(true);
    const before = fake.requests.length;
    const failed = await vscode.commands.executeCommand<ChatResult>('anyapi.explainSelection');
    assert.strictEqual(failed.status, 'unavailable');
    assert.match(failed.message ?? '', SENTENCE);
    assert.strictEqual(fake.requests.length, before, 'a request was sent without a key');
    await assert.rejects(api.hasApiKey(), SENTENCE);

    api.failSecretStorage?.(false);
    const answered = await vscode.commands.executeCommand<ChatResult>('anyapi.explainSelection');
    assert.strictEqual(answered.status, 'answered', answered.message);
    assert.strictEqual(answered.answer?.state, 'done');
  });

  it('Set API Key stores nothing while it fails, and the stored key is the one used afterwards', async () => {
    api.failSecretStorage?.(true);
    assert.notStrictEqual(await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-other')), true);
    api.failSecretStorage?.(false);
    assert.strictEqual(await api.hasApiKey(), true);
    const answered = await vscode.commands.executeCommand<ChatResult>('anyapi.explainSelection');
    assert.strictEqual(answered.status, 'answered', answered.message);
  });
});
