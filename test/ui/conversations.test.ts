import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator } from 'playwright-core';
import { waitFor } from '../../scripts/harness/proc';
import { conversationFilesWith, conversationFolders } from './support/storedFiles';
import type { Workbench } from './support/workbench';
import { useWorkbench } from './support/workbench';

const KEY = 'sk-test-conversations-5b81d0e4';
const MS = 30_000;

function chat(wb: Workbench): FrameLocator {
  return wb.webview();
}

function input(wb: Workbench): Locator {
  return chat(wb).getByRole('textbox', { name: 'Ask AnyAPI' });
}

/** Asks in the chat view and waits for the whole answer (the fake server echoes the question). */
async function askAndWait(wb: Workbench, question: string): Promise<void> {
  const box = input(wb);
  await box.waitFor({ state: 'visible', timeout: MS });
  await box.click();
  await box.fill(question);
  await box.press('Enter');
  const turn = chat(wb).locator('section.turn', { has: chat(wb).locator('.question-text', { hasText: question }) });
  await turn.locator('.answer:not([aria-busy="true"]) .meta').waitFor({ state: 'visible', timeout: MS });
}

/** Sets the key from the chat view's empty state, through the password box. */
async function setKey(wb: Workbench): Promise<void> {
  await wb.openView('AnyAPI');
  const button = chat(wb).getByRole('button', { name: 'Set API Key' });
  await button.waitFor({ state: 'visible', timeout: 60_000 });
  await button.click();
  await wb.answerInputBox(KEY, { password: true });
}

async function newChat(wb: Workbench): Promise<void> {
  await wb.runCommand('AnyAPI: New Chat');
  await chat(wb).locator('.empty-state').waitFor({ state: 'visible', timeout: MS });
}

/** The titles Show Conversations lists (New Chat left out); the list is closed again. */
async function listedTitles(wb: Workbench, expected: string): Promise<string[]> {
  await wb.runCommand('AnyAPI: Show Conversations');
  await wb.quickPickRow(expected).waitFor({ state: 'visible', timeout: MS });
  const rows = await wb.page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts();
  await wb.page.keyboard.press('Escape');
  await wb.quickInput.waitFor({ state: 'hidden', timeout: MS });
  // A row's detail line ("2 questions · date") is a label too.
  return rows.map((row) => row.trim()).filter((row) => !/New Chat/.test(row) && !/^\d+ questions · /.test(row));
}

async function reload(wb: Workbench): Promise<void> {
  await wb.page.reload({ waitUntil: 'domcontentloaded' });
  await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await wb.openView('AnyAPI');
  await input(wb).waitFor({ state: 'visible', timeout: 60_000 });
}

// Conversations as files: two windows on one folder, and a broken file. Tests build on each other, in order.
describe('Conversations kept in files, in two windows on one folder (development build)', () => {
  const workbench = useWorkbench({ extension: 'development', files: { '.vscode/settings.json': '{ "anyapi.model": "gpt-5.1" }\n' } });
  let second: Workbench | undefined;

  after(async () => {
    await second?.close();
  });

  it('two windows each add a conversation: each lists the other’s without a reload, and both survive a reload of either', async function () {
    this.timeout(8 * 60_000);
    const one = workbench();
    await setKey(one);
    await askAndWait(one, 'Asked in window one');

    second = await one.openAnotherWindow();
    const two = second;
    await two.openView('AnyAPI');
    await newChat(two);
    await askAndWait(two, 'Asked in window two');

    // Window one saved first and window two after: window one's list shows window two's conversation as it is.
    await waitFor('window one lists the conversation of window two', MS, async () =>
      (await listedTitles(one, 'Asked in window one')).includes('Asked in window two'),
    );
    await askAndWait(one, 'Window one again, after window two saved');
    assert.deepStrictEqual((await listedTitles(two, 'Asked in window two')).sort(), ['Asked in window one', 'Asked in window two']);

    await reload(two);
    assert.deepStrictEqual((await listedTitles(two, 'Asked in window two')).sort(), ['Asked in window one', 'Asked in window two']);
    await reload(one);
    assert.deepStrictEqual((await listedTitles(one, 'Asked in window one')).sort(), ['Asked in window one', 'Asked in window two']);
    // Window one's last question, asked after window two had written its files, is there too.
    await one.runCommand('AnyAPI: Show Conversations');
    await one.pickQuickPickRow('Asked in window one');
    await chat(one).locator('.question-text', { hasText: 'Window one again, after window two saved' }).waitFor({ state: 'visible', timeout: MS });
    await one.screenshot('chat-two-windows');
  });

  it('a conversation file that cannot be read is set aside with a notice naming it; every other conversation opens', async function () {
    this.timeout(5 * 60_000);
    const one = workbench();
    // A conversation no window has open, broken on disk (a disk error, a half-synced copy): code-server keeps the
    // extension host of a closed or reloaded page alive for a while, and one that had a conversation open would write
    // it again from its copy (see below), so the broken file here is one no window ever read.
    await second?.close();
    second = undefined;
    const [mine] = conversationFilesWith(one, 'Asked in window one');
    const folder = path.dirname(path.join(one.run.userDataDir, mine.replace(/ \(\d+\)$/, '')));
    assert.deepStrictEqual(conversationFolders(one), [folder], 'one folder of conversations for the workspace');
    const file = path.join(folder, 'b0rken-0000-4000-8000-000000000000.json');
    fs.writeFileSync(file, '{"version":2,"etag":"cut","conversation":{"id":"b0rken-0000-4000-8000-000000000000","turns":[{"quest');
    const notice = await one.notification(/could not be read and was set aside/);
    assert.match(await notice.innerText(), new RegExp(`${path.basename(file).replace(/\./g, '\\.')}\\.unreadable-`));
    await one.clearNotifications();
    assert.ok(fs.readdirSync(folder).some((name) => name.startsWith(`${path.basename(file)}.unreadable-`)), 'the broken file is kept, renamed');
    await reload(one);
    assert.deepStrictEqual((await listedTitles(one, 'Asked in window one')).sort(), ['Asked in window one', 'Asked in window two']);
    await chat(one).locator('.question-text', { hasText: 'Window one again, after window two saved' }).waitFor({ state: 'visible', timeout: MS });

    // The conversation shown is broken too: this window still has it whole, and writes it again.
    const [shown] = conversationFilesWith(one, 'Window one again, after window two saved');
    const shownFile = path.join(one.run.userDataDir, shown.replace(/ \(\d+\)$/, ''));
    fs.writeFileSync(shownFile, 'not json at all');
    await one.notification(/could not be read and was set aside/);
    await one.clearNotifications();
    await waitFor('the shown conversation is written again from the window', MS, async () =>
      fs.existsSync(shownFile) && fs.readFileSync(shownFile, 'utf8').includes('Window one again, after window two saved'),
    );
    await askAndWait(one, 'Still here after the break');
  });
});

// The history's size limit: over it, the oldest conversation is offered for export, then removed; nothing before.
describe('Conversations over anyapi.historySizeLimitMB (development build)', () => {
  const workbench = useWorkbench({
    extension: 'development',
    files: { '.vscode/settings.json': '{ "anyapi.model": "gpt-5.1" }\n' },
    userSettings: { 'anyapi.historySizeLimitMB': 1 },
  });

  it('offers to export the oldest conversations, writes them as Markdown, and only then removes them', async function () {
    this.timeout(6 * 60_000);
    const wb = workbench();
    await setKey(wb);
    await askAndWait(wb, 'The oldest one [[fake:long:600000]]');
    await newChat(wb);
    await askAndWait(wb, 'The newer one [[fake:long:500000]]');
    const notice = await wb.notification(/more than the 1 MB of anyapi\.historySizeLimitMB/, 60_000);
    assert.match(await notice.innerText(), /Export the 1 oldest/);
    // Nothing is removed before the user chooses.
    assert.strictEqual(conversationFilesWith(wb, 'The oldest one').length, 1);
    await wb.screenshot('chat-history-limit');
    await notice.getByRole('button', { name: 'Export and Remove…' }).click();
    // The folder dialog (VS Code's own in a browser): the workspace folder, then its Export Here.
    await waitFor('the folder dialog is open', MS, async () => (await wb.quickInput.isVisible()) && (await wb.quickInputBox.inputValue()).length > 0);
    await wb.quickInputBox.fill(`${wb.run.workspace}/`);
    await waitFor('the conversation is exported into the workspace folder', MS, async () => {
      if (fs.readdirSync(wb.run.workspace).some((name) => name.endsWith('.md'))) return true;
      if (await wb.quickInput.isVisible()) {
        const ok = wb.page.locator('.quick-input-widget .monaco-button', { hasText: 'Export Here' });
        if (await ok.isVisible()) await ok.click();
        else await wb.quickInputBox.press('Enter');
      }
      return false;
    });
    const written = fs.readdirSync(wb.run.workspace).filter((name) => name.endsWith('.md'));
    assert.strictEqual(written.length, 1, `exported: ${written.join(', ')}`);
    assert.match(fs.readFileSync(path.join(wb.run.workspace, written[0]), 'utf8'), /The oldest one[\s\S]*Section 1/);
    await waitFor('the exported conversation is removed from the history', MS, async () => conversationFilesWith(wb, 'The oldest one').length === 0);
    assert.deepStrictEqual(await listedTitles(wb, 'The newer one'), ['The newer one [[fake:long:500000]]']);
    await wb.notification(/Exported “The oldest one.*” to .* and removed it from the history/);
  });
});
