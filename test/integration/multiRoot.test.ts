import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeAnyApi } from '../support/fakeAnyApi';
import { startFakeAnyApi } from '../support/fakeAnyApi';
import type { AnyApiTestSurface } from './helpers';
import { activateExtension, eventually, setUserBaseUrl, uniqueKey } from './helpers';

// A saved multi-root workspace (a `.code-workspace` file with two folders) in which the first folder chooses its own
// model in its .vscode/settings.json: the folder's value wins over the workspace file's for its files. The harness
// opens such a workspace in its `multiroot` pass; in any other pass these tests are skipped.

interface WithModelStatus extends AnyApiTestSurface {
  modelStatus(): { text: string; tooltip: string; command: string | undefined };
}

type SelectModelResult = { model: string; target: 'workspace' | 'workspaceFolder' | 'user'; folder?: string; message: string };
type ChatResult = { status: string; message?: string; answer?: { state: string; model?: string } };

const WORKSPACE_MODEL = 'model-of-the-workspace-file';
const FOLDER_MODEL = 'model-of-the-first-folder';

describe('@multiroot The model in a multi-root workspace whose first folder chooses its own', () => {
  let fake: FakeAnyApi;
  let api: WithModelStatus;
  let own: vscode.WorkspaceFolder;
  let other: vscode.WorkspaceFolder;
  let started = false;

  const model = (scope: vscode.Uri | null): { workspace: unknown; folder: unknown } => {
    const inspected = vscode.workspace.getConfiguration('anyapi', scope).inspect('model');
    return { workspace: inspected?.workspaceValue, folder: inspected?.workspaceFolderValue };
  };

  const statusShows = (id: string): boolean => api.modelStatus().text.endsWith(` ${id}`);

  async function open(folder: vscode.WorkspaceFolder, name: string): Promise<vscode.TextEditor> {
    const file = path.join(folder.uri.fsPath, name);
    if (!fs.existsSync(file)) {
      fs.writeFileSync(file, '// a constant\nconst a = 1;\n');
    }
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    editor.selection = new vscode.Selection(1, 0, 1, 12);
    return editor;
  }

  async function closeEditors(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await eventually('no text editor is active', () => vscode.window.activeTextEditor === undefined);
  }

  /** Sends one request from the active editor (Write at Cursor) and returns the model the server was asked for. */
  async function nextRequestModel(): Promise<unknown> {
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no active editor to write in');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const before = fake.requests.length;
    const result = await vscode.commands.executeCommand<{ status: string; message?: string }>('anyapi.writeAtCursor', {
      instruction: 'a constant [[fake:code]]',
    });
    assert.strictEqual(result.status, 'inserted', result.message);
    // Saved, so closing the editors later asks nothing.
    await editor.document.save();
    const sent = fake.requests.slice(before).find((request) => request.path === '/v1/responses');
    assert.ok(sent, 'no request reached /v1/responses');
    return (sent.body as { model?: unknown }).model;
  }

  async function setModel(scope: vscode.Uri | null, value: string | undefined, target: vscode.ConfigurationTarget): Promise<void> {
    await vscode.workspace.getConfiguration('anyapi', scope).update('model', value, target);
    const where = target === vscode.ConfigurationTarget.WorkspaceFolder ? 'folder' : 'workspace';
    await eventually(`the ${where} model is ${value}`, () => model(scope)[where] === value);
  }

  before(async function (this: Mocha.Context) {
    if (process.env.ANYAPI_TEST_PASS !== 'multiroot') {
      this.skip();
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folders.length >= 2, `the multiroot pass needs two folders, got ${folders.length}`);
    assert.ok(vscode.workspace.workspaceFile && vscode.workspace.workspaceFile.scheme === 'file', 'the multiroot pass needs a saved .code-workspace');
    [own, other] = folders;
    started = true;
    api = (await activateExtension()) as WithModelStatus;
    fake = await startFakeAnyApi();
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-multiroot'));
    await setUserBaseUrl(fake.url);
    await setModel(null, WORKSPACE_MODEL, vscode.ConfigurationTarget.Workspace);
    await setModel(own.uri, FOLDER_MODEL, vscode.ConfigurationTarget.WorkspaceFolder);
  });

  after(async () => {
    if (!started) {
      return;
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setModel(own.uri, undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    await setModel(null, undefined, vscode.ConfigurationTarget.Workspace);
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await fake?.close();
  });

  it('the status bar shows the folder’s model for its files and the workspace file’s for the other folder', async () => {
    await open(own, 'own.ts');
    await eventually(`the status bar shows ${FOLDER_MODEL}`, () => statusShows(FOLDER_MODEL));
    await open(other, 'other.ts');
    await eventually(`the status bar shows ${WORKSPACE_MODEL}`, () => statusShows(WORKSPACE_MODEL));
    await open(own, 'own.ts');
    await eventually(`the status bar follows back to ${FOLDER_MODEL}`, () => statusShows(FOLDER_MODEL));
  });

  it('with the chat focused and no text editor active, the status bar shows the model the chat uses', async () => {
    await open(own, 'own.ts');
    const result = await vscode.commands.executeCommand<ChatResult>('anyapi.explainSelection');
    assert.strictEqual(result.status, 'answered', result.message);
    assert.strictEqual(result.answer?.model, FOLDER_MODEL, 'the chat answers with the model of the file’s folder');
    await vscode.commands.executeCommand('anyapi.chatView.focus');
    await closeEditors();
    await eventually(`the status bar still shows ${FOLDER_MODEL}, the chat's model`, () => statusShows(FOLDER_MODEL));
  });

  it('Select Model with no text editor active writes to the folder the chat reads its model from', async () => {
    await open(own, 'own.ts');
    await closeEditors();
    const result = await vscode.commands.executeCommand<SelectModelResult>('anyapi.selectModel', 'gpt-5-mini');
    assert.strictEqual(result.target, 'workspaceFolder', result.message);
    assert.strictEqual(result.folder, own.name);
    assert.strictEqual(model(own.uri).folder, 'gpt-5-mini');
    assert.strictEqual(model(null).workspace, WORKSPACE_MODEL, 'the workspace file is left alone');
    await eventually('the status bar shows gpt-5-mini', () => statusShows('gpt-5-mini'));
  });

  it('Select Model in a folder that chooses its own model writes there, names the folder, and the next request uses it', async () => {
    await open(own, 'own.ts');
    const result = await vscode.commands.executeCommand<SelectModelResult>('anyapi.selectModel', 'o3-pro');
    assert.strictEqual(result.model, 'o3-pro');
    assert.strictEqual(result.target, 'workspaceFolder', result.message);
    assert.strictEqual(result.folder, own.name);
    assert.ok(result.message.includes(`folder “${own.name}”`), result.message);
    assert.strictEqual(model(own.uri).folder, 'o3-pro');
    assert.strictEqual(model(null).workspace, WORKSPACE_MODEL, 'the workspace file is left alone');
    const settingsFile = path.join(own.uri.fsPath, '.vscode', 'settings.json');
    await eventually('the folder’s .vscode/settings.json holds the model', () =>
      fs.existsSync(settingsFile) && (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)['anyapi.model'] === 'o3-pro',
    );
    await eventually('the status bar shows o3-pro', () => statusShows('o3-pro'));
    assert.strictEqual(await nextRequestModel(), 'o3-pro');
  });

  it('Select Model in a folder without its own model writes to the workspace file and names it', async () => {
    await open(other, 'other.ts');
    await eventually(`the status bar shows ${WORKSPACE_MODEL}`, () => statusShows(WORKSPACE_MODEL));
    const result = await vscode.commands.executeCommand<SelectModelResult>('anyapi.selectModel', 'deepseek-chat');
    assert.strictEqual(result.target, 'workspace', result.message);
    assert.strictEqual(result.folder, undefined);
    const fileName = path.basename(vscode.workspace.workspaceFile?.fsPath ?? '');
    assert.ok(result.message.includes(`workspace file (${fileName})`), result.message);
    assert.strictEqual(model(null).workspace, 'deepseek-chat');
    assert.strictEqual(model(own.uri).folder, 'o3-pro', 'the other folder keeps its own model');
    await eventually('the status bar shows deepseek-chat', () => statusShows('deepseek-chat'));
    assert.strictEqual(await nextRequestModel(), 'deepseek-chat');
    await open(own, 'own.ts');
    await eventually('the status bar shows the first folder’s model again', () => statusShows('o3-pro'));
  });
});
