import * as assert from 'assert';
import type { Locator } from 'playwright-core';
import { screenshot } from '../../scripts/harness/browser';
import { waitFor } from '../../scripts/harness/proc';
import type { Workbench } from './support/workbench';
import { useWorkbench } from './support/workbench';

const SOURCE = ['// math helpers', 'function sum(a, b) {', '  return a + b;', '}', '', 'console.log(sum(1, 2));', ''].join('\n');

// Select code and act on it from the editor's context menu, as a person does (development build, fake server).
describe('Selection commands, from the editor context menu (development build)', () => {
  const workbench = useWorkbench({ extension: 'development', files: { 'src/sum.js': SOURCE } });
  const MS = 30_000;

  function editorLines(wb: Workbench): Locator {
    return wb.page.locator('.editor-instance .monaco-editor .view-lines').first();
  }

  async function editorText(wb: Workbench): Promise<string> {
    return (await editorLines(wb).innerText()).replace(/\u00a0/g, ' ');
  }

  /** Opens src/sum.js through Quick Open and selects lines 2-4 (the function) with the keyboard. */
  async function openAndSelectFunction(wb: Workbench): Promise<void> {
    await wb.openFile('sum.js');
    await editorLines(wb).waitFor({ state: 'visible', timeout: MS });
    await waitFor('the editor shows sum.js', MS, async () => (await editorText(wb)).includes('function sum(a, b)'));
    await focusEditor(wb);
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.press('ArrowDown');
    for (let i = 0; i < 3; i++) {
      await wb.page.keyboard.press('Shift+ArrowDown');
    }
    await wb.page.locator('.editor-instance .monaco-editor .selected-text').first().waitFor({ state: 'attached', timeout: MS });
  }

  /** Puts the keyboard focus into the editor, as Ctrl+1 does (the palette's "Focus First Editor Group"). */
  async function focusEditor(wb: Workbench): Promise<void> {
    const focused = wb.page.locator('.editor-instance .monaco-editor.focused').first();
    if (!(await focused.isVisible())) {
      await wb.runCommand('View: Focus First Editor Group');
    }
    await focused.waitFor({ state: 'visible', timeout: MS });
  }

  /** Opens the editor's context menu from the keyboard and the AnyAPI submenu in it; returns the submenu's entries. */
  async function openAnyApiSubmenu(wb: Workbench): Promise<string[]> {
    await wb.openEditorContextSubmenu('AnyAPI');
    await waitFor('the AnyAPI submenu lists Edit Selection…', MS, async () => (await wb.menuEntries()).includes('Edit Selection…'));
    return wb.menuEntries();
  }

  it('offers the AnyAPI submenu on a selection, and Edit shows a diff that Accept applies', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Set API Key');
    await wb.answerInputBox('sk-test-ui-selection-1234', { password: true });
    await openAndSelectFunction(wb);

    const labels = await openAnyApiSubmenu(wb);
    for (const title of ['Explain Selection', 'Ask About Selection…', 'Edit Selection…', 'Write at Cursor…']) {
      assert.ok(labels.includes(title), `the submenu lacks ${title}: ${labels.join(', ')}`);
    }
    await screenshot(wb.page, 'selection-context-menu');

    await wb.chooseFromMenu(['Edit Selection…']);
    await wb.answerInputBox('Add types [[fake:code]]');
    const diff = wb.page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible', timeout: MS });
    await waitFor('the diff shows the proposed code', MS, async () => (await diff.innerText()).replace(/\u00a0/g, ' ').includes('export function add(a: number, b: number)'));
    await screenshot(wb.page, 'edit-selection-diff');

    await wb.page.locator('.editor-actions .action-label[aria-label="Accept Edit"]').first().click();
    await diff.waitFor({ state: 'detached', timeout: MS });
    await waitFor('the file holds the accepted code', MS, async () => {
      const text = await editorText(wb);
      return text.includes('export function add(a: number, b: number): number {') && !text.includes('function sum(a, b)') && text.includes('console.log(sum(1, 2));');
    });
    await screenshot(wb.page, 'edit-selection-accepted');
  });

  it('Explain Selection from the submenu streams the explanation into the chat view with the code quoted', async () => {
    const wb = workbench();
    await focusEditor(wb);
    await wb.page.keyboard.press('Control+Z');
    await waitFor('undo brings the original back', MS, async () => (await editorText(wb)).includes('function sum(a, b)'));
    await openAndSelectFunction(wb);
    await openAnyApiSubmenu(wb);
    await wb.chooseFromMenu(['Explain Selection']);
    const turn = wb.webview().locator('section.turn').last();
    await turn.locator('.answer:not([aria-busy="true"]) .meta').waitFor({ state: 'visible', timeout: MS });
    const quoted = await turn.innerText();
    assert.ok(quoted.includes('sum.js'), `the quote names the file: ${quoted}`);
    assert.ok(quoted.includes('return a + b;'), 'the quote shows the code');
    assert.ok(quoted.includes('Echo: Explain the following javascript code'), quoted);
    await screenshot(wb.page, 'explain-selection-chat');
  });

  it('Cancel in the progress notification stops Write at Cursor: the connection closes and the file is unchanged', async () => {
    const wb = workbench();
    await focusEditor(wb);
    await wb.page.keyboard.press('Control+End');
    const before = await editorText(wb);
    const requestsBefore = wb.fake.requests.length;
    await wb.runCommand('AnyAPI: Write at Cursor…');
    await wb.answerInputBox('Write slowly [[fake:slow]]');
    await waitFor('the request reached the server', MS, async () => wb.fake.requests.length > requestsBefore);
    const progress = await wb.notification(/AnyAPI is writing/);
    await screenshot(wb.page, 'write-at-cursor-progress');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await waitFor('the server saw the connection close', MS, async () => wb.fake.requests[requestsBefore].closedEarly);
    assert.strictEqual(await editorText(wb), before);
  });
});
