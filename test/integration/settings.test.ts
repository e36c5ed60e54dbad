import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeAnyApi } from '../support/fakeAnyApi';
import { startFakeAnyApi } from '../support/fakeAnyApi';
import { activateExtension, eventually, setUserBaseUrl, testConnection, uniqueKey } from './helpers';

// The harness writes the workspace's .vscode/settings.json before VS Code starts:
//   "anyapi.model": "model-from-workspace-settings", "anyapi.baseUrl": "http://127.0.0.1:9/workspace-base-url"
const WORKSPACE_MODEL = 'model-from-workspace-settings';
const WORKSPACE_BASE_URL = 'http://127.0.0.1:9/workspace-base-url';

function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test VS Code opened no folder');
  return folder;
}

async function connectsToUserBaseUrlOnly(fake: FakeAnyApi): Promise<void> {
  await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-valid'));
  await setUserBaseUrl(fake.url);
  const result = await testConnection();
  assert.strictEqual(result.ok, true, result.message);
  assert.ok(result.url?.startsWith(fake.url), `tested ${result.url}, expected the user setting ${fake.url}`);
  assert.ok(!result.message.includes(WORKSPACE_BASE_URL));
}

describe('Settings', () => {
  let fake: FakeAnyApi;

  before(async () => {
    await activateExtension();
    fake = await startFakeAnyApi();
  });

  after(async () => {
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await fake?.close();
  });

  it('reads anyapi.model from the workspace’s .vscode/settings.json', () => {
    const config = vscode.workspace.getConfiguration('anyapi', workspaceFolder().uri);
    assert.strictEqual(config.inspect('model')?.workspaceValue ?? config.inspect('model')?.workspaceFolderValue, WORKSPACE_MODEL);
    assert.strictEqual(config.get('model'), WORKSPACE_MODEL);
  });

  it('sends the key only to the user’s anyapi.baseUrl, never to one from the workspace settings', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, true);
    await connectsToUserBaseUrlOnly(fake);
  });

  it('@restricted ignores anyapi.baseUrl from the settings of an untrusted workspace', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'this pass needs a workspace that is not trusted');
    await connectsToUserBaseUrlOnly(fake);
  });

  it('@restricted ignores anyapi.model from the settings of an untrusted workspace, and the status bar says so', async () => {
    const config = vscode.workspace.getConfiguration('anyapi', workspaceFolder().uri);
    assert.strictEqual(config.inspect('model')?.workspaceValue ?? config.inspect('model')?.workspaceFolderValue, WORKSPACE_MODEL);
    const api = (await activateExtension()) as unknown as { modelStatus(): { text: string; tooltip: string } };
    // A cloned repository must not pick the model the user's key pays for: the user's (here the default) applies.
    await eventually('the status bar shows the user’s model', () => api.modelStatus().text.endsWith(' gpt-5.1'));
    assert.ok(!api.modelStatus().text.includes(WORKSPACE_MODEL), api.modelStatus().text);
    assert.match(api.modelStatus().tooltip, /not trusted/);
    assert.ok(api.modelStatus().tooltip.includes('anyapi.model'), api.modelStatus().tooltip);
  });

  it('@restricted Select Model writes to the user settings, the ones an untrusted workspace uses, and says why', async () => {
    const api = (await activateExtension()) as unknown as { modelStatus(): { text: string } };
    const user = (): unknown => vscode.workspace.getConfiguration('anyapi', null).inspect('model')?.globalValue;
    try {
      const result = await vscode.commands.executeCommand<{ model: string; target: string; message: string }>('anyapi.selectModel', 'deepseek-chat');
      assert.strictEqual(result.target, 'user', result.message);
      assert.match(result.message, /deepseek-chat in your user settings: this workspace is not trusted/);
      assert.strictEqual(user(), 'deepseek-chat');
      const folder = vscode.workspace.getConfiguration('anyapi', workspaceFolder().uri).inspect('model');
      assert.strictEqual(folder?.workspaceValue ?? folder?.workspaceFolderValue, WORKSPACE_MODEL, 'the workspace settings are left alone');
      await eventually('the status bar shows the picked model', () => api.modelStatus().text.endsWith(' deepseek-chat'));
    } finally {
      await vscode.workspace.getConfiguration('anyapi', null).update('model', undefined, vscode.ConfigurationTarget.Global);
      await eventually('the user’s model is gone again', () => user() === undefined);
    }
  });
});
