import * as assert from 'assert';
import type { FrameLocator, Locator } from 'playwright-core';
import { waitFor } from '../../scripts/harness/proc';
import type { Workbench } from './support/workbench';
import { useWorkbench } from './support/workbench';

const TOTAL = ['export function total(prices: number[]): number {', '  const count: number = "three";', '  return prices.length + count;', '}', ''].join('\n');

// Context chips in the chat input, and problems explained from the light bulb and the Problems view, as a person
// uses them (development build, fake server, the editor's own TypeScript checking the file).
describe('Context and problems, as a person uses them (development build)', () => {
  const workbench = useWorkbench({ extension: 'development', files: { 'src/total.ts': TOTAL, 'notes.md': '# Notes\n\nCONTEXT_NOTE_MARKER\n' } });
  const MS = 30_000;

  function chat(wb: Workbench): FrameLocator {
    return wb.webview();
  }

  function input(wb: Workbench): Locator {
    return chat(wb).getByRole('textbox', { name: 'Ask AnyAPI' });
  }

  function chips(wb: Workbench): Locator {
    return chat(wb).locator('.chips .chip');
  }

  async function answerFinished(wb: Workbench): Promise<Locator> {
    const turn = chat(wb).locator('section.turn').last();
    await turn.locator('.answer:not([aria-busy="true"]) .meta').waitFor({ state: 'visible', timeout: MS });
    return turn;
  }

  /** Sends a question from the input and waits until its own answer has finished; returns the request it made. */
  async function ask(wb: Workbench, question: string): Promise<{ turn: Locator; body: string }> {
    const before = wb.fake.requests.length;
    const box = input(wb);
    await box.click();
    await box.fill(question);
    await box.press('Enter');
    await chat(wb).locator('section.turn').last().locator('.question-text', { hasText: question }).waitFor({ state: 'visible', timeout: MS });
    const turn = await answerFinished(wb);
    await waitFor('the question reached the server', MS, () => wb.fake.requests.length > before);
    return { turn, body: JSON.stringify(wb.fake.requests.at(-1)?.body ?? {}) };
  }

  /** The editor's squiggle under the problem: TypeScript has checked the file. */
  async function problemShown(wb: Workbench): Promise<void> {
    await wb.page.locator('.editor-instance .monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 120_000 });
  }

  /** The rows of the open code action menu (light bulb, Ctrl+.). */
  function actionRows(wb: Workbench): Locator {
    return wb.page.locator('.action-widget .monaco-list-row');
  }

  /** Chooses a row of the open code action menu from the keyboard and waits until the menu is gone. */
  async function chooseAction(wb: Workbench, title: string): Promise<void> {
    const row = actionRows(wb).filter({ hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: MS });
    await waitFor(`"${title}" is the focused action`, MS, async () => {
      if (await row.evaluate((element) => element.classList.contains('focused')).catch(() => false)) return true;
      await wb.page.keyboard.press('ArrowDown');
      return false;
    }, 100);
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout: MS });
  }

  /** Puts the cursor on the problem (line 2, on `count`) with the keyboard. */
  async function cursorOnProblem(wb: Workbench): Promise<void> {
    await wb.openFile('total.ts');
    const focused = wb.page.locator('.editor-instance .monaco-editor.focused').first();
    if (!(await focused.isVisible())) await wb.runCommand('View: Focus First Editor Group');
    await focused.waitFor({ state: 'visible', timeout: MS });
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('ArrowLeft');
    await wb.page.keyboard.press('ArrowLeft');
  }

  it('Add Context attaches the active file as a chip with its size, and its button removes it', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Set API Key');
    await wb.answerInputBox('sk-test-ui-context-1234', { password: true });
    await wb.openFile('notes.md');
    await wb.openView('AnyAPI');
    await input(wb).waitFor({ state: 'visible', timeout: 60_000 });

    await chat(wb).getByRole('button', { name: 'Add Context (#)' }).click();
    await wb.pickQuickPickRow('Active File');
    const chip = chips(wb).filter({ hasText: 'notes.md' });
    await chip.waitFor({ state: 'visible', timeout: MS });
    assert.match(await chip.innerText(), /notes\.md\s*\d+ B/);
    assert.strictEqual(await chat(wb).getByRole('list', { name: 'Attached context' }).count(), 1, 'the chips are a labelled list');

    // From the keyboard: Enter on the focused remove button; with no chip left, the focus lands in the input.
    const remove = chat(wb).getByRole('button', { name: 'Remove notes.md' });
    await remove.focus();
    await remove.press('Enter');
    await chip.waitFor({ state: 'detached', timeout: MS });
    assert.strictEqual(await chips(wb).count(), 0);
    await waitFor('the focus is in the input after the last chip went', MS, async () =>
      input(wb).evaluate((element) => element.ownerDocument.activeElement === element),
    );
    // Removed means not sent.
    const { body } = await ask(wb, 'Is anything attached?');
    assert.ok(!body.includes('CONTEXT_NOTE_MARKER'), 'the removed chip was sent');
  });

  it('# at the start of a word opens the picker; Escape keeps the #, a pick replaces it with a chip', async () => {
    const wb = workbench();
    const box = input(wb);
    await box.click();
    await box.pressSequentially('Explain #');
    await wb.quickInput.waitFor({ state: 'visible', timeout: MS });
    await wb.page.keyboard.press('Escape');
    await wb.quickInput.waitFor({ state: 'hidden', timeout: MS });
    assert.strictEqual(await box.inputValue(), 'Explain #', 'nothing picked: the # stays');

    await box.click();
    await box.press('End');
    await box.pressSequentially(' #');
    await wb.pickQuickPickRow('Active File');
    await chips(wb).filter({ hasText: 'notes.md' }).waitFor({ state: 'visible', timeout: MS });
    await waitFor('the # typed for the chip is gone', MS, async () => (await box.inputValue()) === 'Explain # ');
    await box.fill('');
  });

  it('sends the chips with the question once, and shows them collapsed above it in the transcript', async () => {
    const wb = workbench();
    assert.strictEqual(await chips(wb).count(), 1, 'the chip from the test before is still waiting');
    await wb.screenshot('chat-context-chips');
    const { turn, body } = await ask(wb, 'What do my notes say?');
    assert.strictEqual(body.split('CONTEXT_NOTE_MARKER').length - 1, 1, body);
    await chips(wb).first().waitFor({ state: 'detached', timeout: MS });

    const attached = turn.locator('.turn-context details');
    assert.strictEqual(await attached.count(), 1);
    assert.match(await attached.locator('summary').innerText(), /notes\.md/);
    assert.ok(!(await attached.locator('.context-text').isVisible()), 'collapsed until opened');
    await attached.locator('summary').click();
    await attached.locator('.context-text', { hasText: 'CONTEXT_NOTE_MARKER' }).waitFor({ state: 'visible', timeout: MS });
    await wb.screenshot('chat-context-in-transcript');
  });

  it('the light bulb on a problem offers Explain with AnyAPI and Fix with AnyAPI; Explain answers in the chat', async () => {
    const wb = workbench();
    await cursorOnProblem(wb);
    await problemShown(wb);
    await waitFor('the code action menu lists the AnyAPI actions', 90_000, async () => {
      if (!(await actionRows(wb).first().isVisible())) {
        await wb.page.keyboard.press('Control+.');
        await actionRows(wb).first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
      }
      const titles = await actionRows(wb).allInnerTexts();
      if (titles.some((title) => title.includes('Explain with AnyAPI')) && titles.some((title) => title.includes('Fix with AnyAPI'))) return true;
      // Listed before TypeScript's own fixes came in: look again.
      await wb.page.keyboard.press('Escape');
      return false;
    }, 500);
    await wb.screenshot('problem-light-bulb');
    const before = wb.fake.requests.length;
    await chooseAction(wb, 'Explain with AnyAPI');
    await chat(wb).locator('section.turn .question-text', { hasText: 'Explain this problem' }).last().waitFor({ state: 'visible', timeout: MS });
    await answerFinished(wb);
    assert.strictEqual(wb.fake.requests.length, before + 1);
    const sent = JSON.stringify(wb.fake.requests.at(-1)?.body ?? {});
    assert.ok(sent.includes("Type 'string' is not assignable to type 'number'."), sent);
    assert.ok(sent.includes('ts 2322') && sent.includes('src/total.ts'), sent);
  });

  it('the Problems view’s context menu has Explain with AnyAPI', async () => {
    const wb = workbench();
    await wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const row = wb.page.locator('.markers-panel .monaco-list-row', { hasText: "Type 'string' is not assignable" }).first();
    await row.waitFor({ state: 'visible', timeout: MS });
    await waitFor('the problem’s context menu lists Explain with AnyAPI', 60_000, async () => {
      if ((await wb.menus.count()) > 0 && (await wb.menuEntries()).includes('Explain with AnyAPI')) return true;
      for (let attempt = 0; attempt < 3 && (await wb.menus.count()) > 0; attempt++) await wb.page.keyboard.press('Escape');
      await row.click({ button: 'right' });
      await wb.menus.first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
      return (await wb.menuEntries()).includes('Explain with AnyAPI');
    }, 500);
    await wb.screenshot('problems-context-menu');
    const before = wb.fake.requests.length;
    await wb.chooseFromMenu(['Explain with AnyAPI']);
    await waitFor('the problem is explained', MS, () => wb.fake.requests.length === before + 1);
    // The second explanation of the problem is the last turn (the light bulb's was the first).
    await waitFor('the new turn is shown', MS, async () => (await chat(wb).locator('section.turn .question-text', { hasText: 'Explain this problem' }).count()) === 2);
    await answerFinished(wb);
  });
});
