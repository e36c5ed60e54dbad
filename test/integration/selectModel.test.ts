import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { codeAnswer, newResponseParts, responseObject } from '../support/fakeAnswers';
import type { FakeAnyApi, RecordedRequest } from '../support/fakeAnyApi';
import { sendJson, startFakeAnyApi } from '../support/fakeAnyApi';
import type { AnyApiTestSurface } from './helpers';
import { activateExtension, eventually, setUserBaseUrl, uniqueKey } from './helpers';

/** activate()'s return value also reports what the model status-bar item shows (src/extension.ts). */
interface WithModelStatus extends AnyApiTestSurface {
  modelStatus(): { text: string; tooltip: string; command: string | undefined };
}

type SelectModelResult = { model: string; target: 'workspace' | 'workspaceFolder' | 'user'; folder?: string; message: string };
type RequestBody = {
  model?: string;
  instructions?: string;
  max_output_tokens?: number;
  temperature?: number;
  reasoning?: { effort?: string };
};

// The harness writes this model into the workspace's .vscode/settings.json; settings.test.ts reads it later.
const WORKSPACE_MODEL = 'model-from-workspace-settings';
const TUNED = ['maxOutputTokens', 'instructions', 'reasoningEffort', 'temperature'] as const;

function folder(): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.[0];
  assert.ok(found, 'the test VS Code opened no folder');
  return found;
}

function workspaceSettingsFile(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(folder().uri.fsPath, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
}

function anyapi(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('anyapi', folder().uri);
}

/** Writes a workspace setting as the Settings editor does and waits until VS Code reports it. */
async function setWorkspaceSetting(name: string, value: unknown): Promise<void> {
  await anyapi().update(name, value, vscode.ConfigurationTarget.Workspace);
  await eventually(`anyapi.${name} reads ${JSON.stringify(value)}`, () => anyapi().inspect(name)?.workspaceValue === value);
}

describe('Select Model and settings that take effect at once', () => {
  let fake: FakeAnyApi;
  let api: WithModelStatus;
  let editor: vscode.TextEditor;

  /** Sends one request the way a user does (Write at Cursor in an open editor) and returns what the server got. */
  async function nextRequestBody(): Promise<RequestBody> {
    editor = await vscode.window.showTextDocument(editor.document, { preview: false });
    const before = fake.requests.length;
    const result = await vscode.commands.executeCommand<{ status: string; message?: string }>('anyapi.writeAtCursor', {
      instruction: 'a constant [[fake:code]]',
    });
    assert.strictEqual(result.status, 'inserted', result.message);
    const sent: RecordedRequest | undefined = fake.requests.slice(before).find((request) => request.path === '/v1/responses');
    assert.ok(sent, 'no request reached /v1/responses');
    return sent.body as RequestBody;
  }

  before(async () => {
    api = (await activateExtension()) as WithModelStatus;
    fake = await startFakeAnyApi();
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-model'));
    await setUserBaseUrl(fake.url);
    const file = path.join(folder().uri.fsPath, 'select-model.ts');
    fs.writeFileSync(file, 'const a = 1;\n');
    editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of TUNED) {
      await anyapi().update(name, undefined, vscode.ConfigurationTarget.Workspace);
    }
    await setWorkspaceSetting('model', WORKSPACE_MODEL);
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await fake?.close();
  });

  it('starts with the workspace’s model in the status bar, which opens Select Model', async () => {
    await eventually('the status bar shows the workspace model', () => api.modelStatus().text.endsWith(` ${WORKSPACE_MODEL}`));
    await eventually('the status bar opens Select Model once a key is set', () => api.modelStatus().command === 'anyapi.selectModel');
    const status = api.modelStatus();
    assert.ok(!status.text.includes('$(warning)'), status.text);
  });

  it('writes the chosen model to .vscode/settings.json, and the next request uses it without a reload', async () => {
    const result = await vscode.commands.executeCommand<SelectModelResult>('anyapi.selectModel', 'o3-pro');
    assert.strictEqual(result.model, 'o3-pro');
    assert.strictEqual(result.target, 'workspace');
    assert.strictEqual(result.folder, undefined);
    assert.match(result.message, /o3-pro in the workspace settings \(\.vscode\/settings\.json\)/);
    assert.strictEqual(anyapi().inspect('model')?.workspaceValue, 'o3-pro');
    await eventually('.vscode/settings.json holds the model', () => workspaceSettingsFile()['anyapi.model'] === 'o3-pro');
    assert.strictEqual(anyapi().inspect('model')?.globalValue, undefined, 'the user settings are left alone');

    await eventually('the status bar shows the new model', () => api.modelStatus().text.endsWith(' o3-pro'));
    // The tooltip is markdown: VS Code 1.90's appendText escapes `-` (o3\-pro), which the hover shows as o3-pro.
    assert.match(api.modelStatus().tooltip.replace(/\\(.)/g, '$1'), /o3-pro/);
    assert.strictEqual((await nextRequestBody()).model, 'o3-pro');

    await vscode.commands.executeCommand<SelectModelResult>('anyapi.selectModel', 'deepseek-chat');
    assert.strictEqual(anyapi().inspect('model')?.workspaceValue, 'deepseek-chat');
    assert.strictEqual((await nextRequestBody()).model, 'deepseek-chat');
  });

  /** The number of requests the tooltip says its token totals come from. */
  const countedRequests = (): number => Number(/from (\d+) request\(s\) that reported usage/.exec(api.modelStatus().tooltip)?.[1] ?? -1);
  const totalTokens = (): number => Number(/(\d+) in total/.exec(api.modelStatus().tooltip)?.[1] ?? -1);

  it('counts the session’s requests and tokens in the status-bar tooltip', async () => {
    const before = countedRequests();
    assert.ok(before >= 0, api.modelStatus().tooltip);
    await nextRequestBody();
    await eventually('the tooltip counts one more request', () => countedRequests() === before + 1);
    assert.match(api.modelStatus().tooltip, /\d+ input tokens, \d+ output tokens/);
  });

  it('counts only the requests that reported usage, and says that is what it counts', async () => {
    await nextRequestBody();
    await eventually('the tooltip counts requests with usage', () => countedRequests() > 0);
    const [requests, tokens] = [countedRequests(), totalTokens()];
    // An answer without usage, as some relays send: it adds no tokens, so it is not one the totals come from.
    fake.enqueue(({ res, body }) => {
      const model = String((body as { model?: unknown }).model);
      sendJson(res, 200, responseObject(newResponseParts(model), codeAnswer('no usage reported')));
    });
    await nextRequestBody();
    await eventually('the request is over', () => !api.modelStatus().text.includes('$(loading~spin)'));
    assert.strictEqual(countedRequests(), requests, api.modelStatus().tooltip);
    assert.strictEqual(totalTokens(), tokens, api.modelStatus().tooltip);
  });

  it('sends a changed max output tokens, instructions, reasoning effort and temperature with the very next request', async () => {
    const plain = await nextRequestBody();
    assert.strictEqual(plain.max_output_tokens, undefined);
    assert.strictEqual(plain.instructions, undefined);
    assert.strictEqual(plain.temperature, undefined, 'temperature is not sent unless set: reasoning models reject it');
    assert.strictEqual(plain.reasoning, undefined);

    await setWorkspaceSetting('maxOutputTokens', 321);
    await setWorkspaceSetting('instructions', 'Answer like a pirate.');
    await setWorkspaceSetting('reasoningEffort', 'low');
    await setWorkspaceSetting('temperature', 0.3);
    const tuned = await nextRequestBody();
    assert.strictEqual(tuned.max_output_tokens, 321);
    assert.strictEqual(tuned.instructions, 'Answer like a pirate.');
    assert.deepStrictEqual(tuned.reasoning, { effort: 'low' });
    assert.strictEqual(tuned.temperature, 0.3);

    await setWorkspaceSetting('maxOutputTokens', 4000);
    await setWorkspaceSetting('reasoningEffort', 'high');
    await setWorkspaceSetting('temperature', undefined);
    await setWorkspaceSetting('instructions', undefined);
    const changed = await nextRequestBody();
    assert.strictEqual(changed.max_output_tokens, 4000);
    assert.deepStrictEqual(changed.reasoning, { effort: 'high' });
    assert.strictEqual(changed.temperature, undefined);
    assert.strictEqual(changed.instructions, undefined);
  });

  it('shows a warning that leads to Set API Key and Get Started while no key is set', async () => {
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    try {
      await eventually('the status bar warns', () => api.modelStatus().text.startsWith('$(warning)'));
      const status = api.modelStatus();
      assert.strictEqual(status.command, 'anyapi.setApiKey');
      assert.match(status.tooltip, /command:anyapi\.getStarted/);
    } finally {
      await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-model'));
    }
    await eventually('the warning goes once a key is set', () => !api.modelStatus().text.startsWith('$(warning)'));
  });

  it('Get Started opens the walkthrough', async () => {
    const walkthroughTabs = (): vscode.Tab[] =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => /Welcome|Walkthrough/i.test(tab.label));
    await editor.document.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.strictEqual(walkthroughTabs().length, 0, 'a welcome page was open before');
    await vscode.commands.executeCommand('anyapi.getStarted');
    await eventually('the walkthrough is open in an editor tab', () => walkthroughTabs().length === 1);
  });
});
