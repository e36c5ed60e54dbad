import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Locator } from 'playwright-core';
import { waitFor } from '../../scripts/harness/proc';
import { fakeModels } from '../support/fakeAnyApi';
import type { Workbench } from './support/workbench';
import { useWorkbench } from './support/workbench';

// Select Model, the model status-bar item and the Get Started walkthrough: the development build through the
// smoke-test driver (notifications are read in the notification center), against the fake server.
describe('Select Model, the status bar and Get Started, as a person uses them (development build)', () => {
  const workbench = useWorkbench({
    extension: 'development',
    files: { 'src/greet.ts': "export function greet(name: string): string {\n  return 'Hello, ' + name;\n}\n" },
  });
  const MS = 30_000;

  function row(wb: Workbench, text: string): Locator {
    return wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  }

  /** The model status-bar item, found by what a screen reader announces. */
  function modelItem(wb: Workbench, model: string): Locator {
    return wb.page.locator(`.part.statusbar [aria-label="AnyAPI model ${model}"]`).first();
  }

  function workspaceModel(wb: Workbench): unknown {
    const file = path.join(wb.run.workspace, '.vscode', 'settings.json');
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)['anyapi.model'] : undefined;
  }

  async function openPicker(wb: Workbench): Promise<void> {
    await wb.runCommand('AnyAPI: Select Model');
    await row(wb, 'o3-pro').waitFor({ state: 'visible', timeout: MS });
  }

  async function closePicker(wb: Workbench): Promise<void> {
    await wb.page.keyboard.press('Escape');
    await wb.quickInput.waitFor({ state: 'hidden', timeout: MS });
  }

  it('with a key set, the status bar shows the default model', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Set API Key');
    await wb.answerInputBox('sk-test-ui-model-5150', { password: true, screenshot: 'walkthrough-set-api-key' });
    await modelItem(wb, 'gpt-5.1').waitFor({ state: 'visible', timeout: MS });
  });

  it('lists the server’s models, Responses-capable first, with the current one marked', async () => {
    const wb = workbench();
    await openPicker(wb);
    const labels = (await wb.page.locator('.quick-input-widget .monaco-list-row').allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    const position = (id: string): number => labels.findIndex((label) => label.includes(id));
    for (const id of fakeModels.map((model) => String((model as { id: string }).id))) {
      assert.ok(position(id) >= 0, `${id} is not listed: ${labels.join(' | ')}`);
    }
    assert.ok(position('o3-pro') < position('deepseek-chat'), `Responses-capable models come first: ${labels.join(' | ')}`);
    assert.match(await row(wb, 'gpt-5.1').innerText(), /current/);
    assert.doesNotMatch(await row(wb, 'o3-pro').innerText(), /current/);
    await row(wb, 'Refresh the model list').waitFor({ state: 'visible', timeout: MS });
    await wb.screenshot('select-model');
    await closePicker(wb);
    await wb.setTheme('dark');
    await openPicker(wb);
    await wb.screenshot('select-model');
    await closePicker(wb);
    await wb.setTheme('light');
  });

  it('picking a model shows it in the status bar and says it was written to the workspace settings', async () => {
    const wb = workbench();
    await wb.clearNotifications();
    await openPicker(wb);
    await wb.pickQuickPickRow('o3-pro');
    await modelItem(wb, 'o3-pro').waitFor({ state: 'visible', timeout: MS });
    const notice = await wb.notification(/model set to o3-pro in the workspace settings/);
    assert.match(await notice.innerText(), /\.vscode\/settings\.json/);
    assert.strictEqual(workspaceModel(wb), 'o3-pro');
    await wb.screenshot('select-model-written');
  });

  it('a model id typed into the picker is used as it is', async () => {
    const wb = workbench();
    await openPicker(wb);
    await wb.quickInputBox.fill('my-relay-model-7');
    const typed = row(wb, 'Use this model id');
    await typed.waitFor({ state: 'visible', timeout: MS });
    assert.match(await typed.innerText(), /my-relay-model-7/);
    await wb.screenshot('select-model-free-text');
    await wb.quickInputBox.press('Enter');
    await modelItem(wb, 'my-relay-model-7').waitFor({ state: 'visible', timeout: MS });
    await waitFor('.vscode/settings.json holds the typed model', MS, () => Promise.resolve(workspaceModel(wb) === 'my-relay-model-7'));
    await wb.setTheme('dark');
    await wb.screenshot('select-model-written');
    await wb.setTheme('light');
  });

  it('the chat answers with the picked model (pictures for the walkthrough)', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Select Model');
    await wb.answerInputBox('gpt-5.1');
    await modelItem(wb, 'gpt-5.1').waitFor({ state: 'visible', timeout: MS });
    await wb.openView('AnyAPI');
    const chat = wb.webview();
    const box = chat.getByRole('textbox', { name: 'Ask AnyAPI' });
    await box.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.openFile('greet.ts');
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines').first();
    await waitFor('greet.ts is open', MS, async () => (await editor.innerText()).includes('greet'));
    await editor.click();
    await wb.page.keyboard.press('Control+A');
    await box.click();
    await box.fill('Explain greet() in src/greet.ts [[fake:code]]');
    await box.press('Enter');
    const turn = chat.locator('section.turn').last();
    await turn.locator('.answer:not([aria-busy="true"]) .meta').waitFor({ state: 'visible', timeout: MS });
    assert.match(await turn.locator('.meta').innerText(), /gpt-5\.1/);
    assert.strictEqual((wb.fake.requests.at(-1)?.body as { model?: string }).model, 'gpt-5.1');
    await wb.screenshot('walkthrough-explain');
  });

  it('AnyAPI: Get Started opens the walkthrough with its four steps and pictures', async () => {
    const wb = workbench();
    // The walkthrough shows its pictures only when the editor area is wide enough.
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.runCommand('View: Hide Secondary Side Bar');
    await wb.runCommand('AnyAPI: Get Started');
    const page = wb.page.locator('.gettingStartedContainer');
    await page.getByText('Get Started with AnyAPI').first().waitFor({ state: 'visible', timeout: 60_000 });
    for (const title of ['Set your AnyAPI key', 'Pick a model', 'Explain a selection', 'Chat in the side bar']) {
      await page.getByText(title, { exact: true }).first().waitFor({ state: 'visible', timeout: MS });
    }
    const picture = page.locator('.getting-started-media img').first();
    await picture.waitFor({ state: 'visible', timeout: MS });
    await waitFor('the step’s picture loads', MS, () => picture.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0));
    await wb.screenshot('walkthrough');
    // Escape (on the way to the palette) leaves the walkthrough, so open it again in the dark theme.
    await wb.setTheme('dark');
    await wb.runCommand('AnyAPI: Get Started');
    await page.getByText('Pick a model', { exact: true }).first().click();
    await page.getByRole('button', { name: 'Select Model' }).waitFor({ state: 'visible', timeout: MS });
    await page.locator('.getting-started-media img[src*="selectModel"], .getting-started-media img[srcset*="selectModel"]').first().waitFor({ state: 'visible', timeout: MS });
    await wb.screenshot('walkthrough');
    await wb.setTheme('light');
  });
});
