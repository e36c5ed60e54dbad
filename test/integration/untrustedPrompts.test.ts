import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeAnyApi } from '../support/fakeAnyApi';
import { startFakeAnyApi } from '../support/fakeAnyApi';
import { activateExtension, setUserBaseUrl, uniqueKey } from './helpers';

// A cloned repository must not steer the code the model writes: its instructions and prompt templates are ignored
// while the workspace is not trusted, and used once it is.
describe('Instructions and prompt templates from a workspace', () => {
  let fake: FakeAnyApi;
  const planted = 'PLANTED-BY-THE-REPOSITORY';

  before(async () => {
    await activateExtension();
    fake = await startFakeAnyApi();
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-trust'));
    await setUserBaseUrl(fake.url);
    const config = vscode.workspace.getConfiguration('anyapi', null);
    await config.update('instructions', `${planted} instructions`, vscode.ConfigurationTarget.Workspace);
    await config.update('prompts.write', `${planted} template {question}`, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('anyapi', null);
    await config.update('instructions', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('prompts.write', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await fake?.close();
  });

  async function sentBody(): Promise<string> {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const file = path.join(folder, 'trust.ts');
    fs.writeFileSync(file, 'let a = 1;\n');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const before = fake.requests.length;
    const result = await vscode.commands.executeCommand<{ status: string }>('anyapi.writeAtCursor', { instruction: 'a constant [[fake:code]]' });
    assert.strictEqual(result.status, 'inserted');
    assert.strictEqual(fake.requests.length, before + 1);
    return JSON.stringify(fake.requests[before].body);
  }

  it('are used in a trusted workspace', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, true);
    const body = await sentBody();
    assert.ok(body.includes(`${planted} instructions`), body);
    assert.ok(body.includes(`${planted} template a constant`), body);
  });

  it('@restricted are ignored in an untrusted workspace', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'this pass needs a workspace that is not trusted');
    const body = await sentBody();
    assert.ok(!body.includes(planted), body);
    assert.ok(body.includes('a constant'), 'the user’s own instruction is sent');
  });
});
