import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { AnyApiTestSurface } from './helpers';
import { activateExtension, filesThatMustNotHoldTheKey, uniqueKey } from './helpers';

describe('API key commands', () => {
  let api: AnyApiTestSurface;

  before(async () => {
    api = await activateExtension();
  });

  after(async () => {
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
  });

  it('Set API Key keeps the key in secret storage and in no settings file', async () => {
    const key = uniqueKey('sk-test-integration');
    assert.strictEqual(await vscode.commands.executeCommand('anyapi.setApiKey', key), true);
    assert.strictEqual(await api.hasApiKey(), true, 'no key stored after Set API Key');
    const asSetting = vscode.workspace.getConfiguration('anyapi').inspect<string>('apiKey');
    assert.ok(!asSetting?.globalValue && !asSetting?.workspaceValue && !asSetting?.workspaceFolderValue, 'the key is readable as a setting');
    const files = filesThatMustNotHoldTheKey();
    assert.ok(files.some((file) => file.endsWith('settings.json')), 'found no settings file to check');
    assert.deepStrictEqual(
      files.filter((file) => fs.readFileSync(file, 'utf8').includes(key)),
      [],
      'files that contain the key',
    );
  });

  it('Set API Key refuses an empty key and keeps the stored one', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('anyapi.setApiKey', '   '), false);
    assert.strictEqual(await api.hasApiKey(), true, 'the stored key is gone after an empty input');
  });

  it('Set API Key refuses a key with a zero-width space pasted along, and keeps the stored one', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('anyapi.setApiKey', 'sk-test-pasted\u200b-key'), false);
    assert.strictEqual(await api.hasApiKey(), true, 'the stored key is gone after a malformed input');
  });

  it('Clear API Key removes the key', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false }), true);
    assert.strictEqual(await api.hasApiKey(), false, 'the key is still stored after Clear API Key');
  });
});
