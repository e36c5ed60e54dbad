import * as assert from 'assert';
import type { FrameLocator, Locator } from 'playwright-core';
import { screenshot } from '../../scripts/harness/browser';
import { waitFor } from '../../scripts/harness/proc';
import { longAnswer } from '../support/fakeAnswers';
import { conversationFilesWith } from './support/storedFiles';
import type { Workbench } from './support/workbench';
import { useWorkbench } from './support/workbench';

// The chat view as a person uses it: the development build through the smoke-test driver, against the fake server.
describe('Chat view, as a person uses it (development build)', () => {
  const workbench = useWorkbench({
    extension: 'development',
    files: { 'src/add.ts': '// insert below\n\n', '.vscode/settings.json': '{ "anyapi.model": "gpt-5.1" }\n' },
  });
  const MS = 30_000;

  function chat(wb: Workbench): FrameLocator {
    return wb.webview();
  }

  function input(wb: Workbench): Locator {
    return chat(wb).getByRole('textbox', { name: 'Ask AnyAPI' });
  }

  function lastTurn(wb: Workbench): Locator {
    return chat(wb).locator('section.turn').last();
  }

  async function ask(wb: Workbench, question: string): Promise<void> {
    const box = input(wb);
    await box.waitFor({ state: 'visible', timeout: MS });
    await box.click();
    await box.fill(question);
    await box.press('Enter');
    await chat(wb).locator('section.turn .question-text', { hasText: question }).last().waitFor({ state: 'visible', timeout: MS });
  }

  async function answerFinished(wb: Workbench, timeout = MS): Promise<Locator> {
    const turn = lastTurn(wb);
    await turn.locator('.answer:not([aria-busy="true"]) .meta').waitFor({ state: 'visible', timeout });
    return turn;
  }

  /** Picks a color theme from the palette, as a person does, and waits for the workbench to repaint. */
  async function pickTheme(wb: Workbench, theme: 'light' | 'dark'): Promise<void> {
    await wb.runCommand('Preferences: Color Theme');
    await wb.quickInputBox.fill(theme === 'dark' ? 'Dark Modern' : 'Light Modern');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: theme === 'dark' ? 'Dark Modern' : 'Light Modern' }).first().waitFor({ state: 'visible', timeout: MS });
    await wb.quickInputBox.press('Enter');
    await wb.quickInput.waitFor({ state: 'hidden', timeout: MS });
    await wb.page.waitForSelector(theme === 'dark' ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs', { timeout: MS });
  }

  /** test-results/screenshots/<name>-light.png and <name>-dark.png. */
  async function screenshots(wb: Workbench, name: string): Promise<void> {
    await screenshot(wb.page, `${name}-light`);
    await pickTheme(wb, 'dark');
    await screenshot(wb.page, `${name}-dark`);
    await pickTheme(wb, 'light');
  }

  it('without a key, the empty state offers Set API Key and Select Model', async () => {
    const wb = workbench();
    await wb.openView('AnyAPI');
    const setKey = chat(wb).getByRole('button', { name: 'Set API Key' });
    await setKey.waitFor({ state: 'visible', timeout: 60_000 });
    await chat(wb).getByRole('button', { name: 'Select Model' }).waitFor({ state: 'visible', timeout: MS });
    await screenshots(wb, 'chat-empty-no-key');
    await setKey.click();
    await wb.answerInputBox('sk-test-chat-ui-1234', { password: true });
    await waitFor('the empty state names the model once a key is set', MS, async () =>
      (await chat(wb).locator('.empty-state').innerText()).includes('gpt-5.1'),
    );
  });

  it('sends with Enter and streams a markdown answer with a highlighted code block, model and usage', async () => {
    const wb = workbench();
    await ask(wb, 'Write add [[fake:code]]');
    const turn = await answerFinished(wb);
    const code = turn.locator('.code-block pre code');
    await code.waitFor({ state: 'visible', timeout: MS });
    assert.match(await code.innerText(), /export function add\(a: number, b: number\)/);
    assert.ok((await code.locator('span[class^="hljs-"]').count()) > 0, 'the code is not highlighted');
    const meta = await turn.locator('.meta').innerText();
    assert.match(meta, /gpt-5\.1/);
    assert.match(meta, /\d+ in · \d+ out/);
    const request = wb.fake.requests.at(-1);
    assert.ok(request && request.path === '/v1/responses');
    await screenshots(wb, 'chat-answer-with-code');
  });

  it('Insert at Cursor puts the code block into the last active editor', async () => {
    const wb = workbench();
    await wb.openFile('add.ts');
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.waitFor({ state: 'visible', timeout: MS });
    await wb.page.keyboard.press('Control+End');
    await lastTurn(wb).getByRole('button', { name: 'Insert at Cursor' }).click();
    await waitFor('the editor shows the inserted code', MS, async () => (await editor.innerText()).replace(/\u00a0/g, ' ').includes('return a + b;'));
  });

  it('Stop ends the answer at once: the server sees the connection close and the partial answer stays', async () => {
    const wb = workbench();
    const before = wb.fake.requests.length;
    await ask(wb, 'Count slowly [[fake:slow]]');
    await lastTurn(wb).locator('.markdown', { hasText: 'chunk 2' }).waitFor({ state: 'visible', timeout: MS });
    await chat(wb).getByRole('button', { name: 'Stop' }).click();
    const turn = await answerFinished(wb);
    assert.match(await turn.locator('.meta').innerText(), /Stopped/);
    assert.match(await turn.locator('.markdown').innerText(), /chunk 2/);
    const request = wb.fake.requests[before];
    assert.ok(request, 'the request never reached the server');
    assert.strictEqual(await request.ended, true, 'the server did not see the client close the connection');
    await screenshots(wb, 'chat-stopped');
  });

  it('an error shows the server’s words inline with Retry, and keeps the question', async () => {
    const wb = workbench();
    await ask(wb, 'Break please [[fake:error-502]]');
    const turn = lastTurn(wb);
    const alert = turn.getByRole('alert');
    await alert.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await alert.innerText();
    assert.match(text, /HTTP 502/);
    assert.match(await turn.locator('.question-text').innerText(), /Break please/);
    await screenshots(wb, 'chat-error');
    const count = wb.fake.requests.length;
    await alert.getByRole('button', { name: 'Retry' }).click();
    await waitFor('Retry sends the question again', 60_000, async () => wb.fake.requests.length > count);
    await turn.locator('.answer[aria-busy="true"]').waitFor({ state: 'detached', timeout: 60_000 });
    await turn.getByRole('alert').waitFor({ state: 'visible', timeout: MS });
    const retried = wb.fake.requests.at(-1)?.body as { input?: { content: string }[] };
    assert.match(JSON.stringify(retried?.input?.at(-1)), /Break please/);
  });

  it('a hostile answer runs nothing, loads nothing, and links open only after a confirmation', async () => {
    const wb = workbench();
    await ask(wb, 'Be evil [[fake:hostile]]');
    const turn = await answerFinished(wb);
    await turn.locator('.markdown', { hasText: 'End of hostile content.' }).waitFor({ state: 'visible', timeout: MS });
    const report = await turn.evaluate((section) => {
      const doc = section.ownerDocument;
      const win = doc.defaultView as unknown as Record<string, unknown>;
      const all = Array.from(section.querySelectorAll('*'));
      return {
        pwned: win.__anyapiPwned === true,
        dangerous: all.filter((el) => /^(script|img|iframe|style|object|embed|form)$/i.test(el.tagName)).length,
        handlers: all.filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name) || a.name === 'style')).length,
        hrefs: all.filter((el) => el.hasAttribute('href') || el.hasAttribute('src')).length,
        bodyVisible: doc.body.offsetHeight > 0,
      };
    });
    assert.deepStrictEqual(report, { pwned: false, dangerous: 0, handlers: 0, hrefs: 0, bodyVisible: true });
    await screenshots(wb, 'chat-hostile');
    await turn.getByRole('link', { name: 'tracker' }).click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: MS });
    assert.match(await dialog.innerText(), /https:\/\/evil\.example\.com\/pixel\.png/);
    await wb.screenshot('chat-link-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: MS });
  });

  it('streams a 500 KB answer to the end', async () => {
    const wb = workbench();
    await ask(wb, 'Long one [[fake:long:500000]]');
    const turn = await answerFinished(wb, 120_000);
    // The whole answer is there, every code block with its toolbar (what rendering it costs is for npm run bench).
    const answer = longAnswer(500_000);
    const fences = (answer.match(/^```\w+$/gm) ?? []).length;
    const lastHeading = [...answer.matchAll(/^## (Section \d+)$/gm)].pop()?.[1] ?? '';
    await turn.locator('.markdown h2', { hasText: new RegExp(`^${lastHeading}$`) }).waitFor({ state: 'attached', timeout: MS });
    assert.strictEqual(await turn.locator('.markdown .code-block > .code-toolbar').count(), fences, 'every code block of the answer has its toolbar');
  });

  it('after a window reload the conversation is still there', async () => {
    const wb = workbench();
    await wb.page.reload({ waitUntil: 'domcontentloaded' });
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
    await wb.openView('AnyAPI');
    await chat(wb).locator('.question-text', { hasText: 'Write add [[fake:code]]' }).waitFor({ state: 'visible', timeout: 60_000 });
    await chat(wb).locator('.question-text', { hasText: 'Count slowly' }).waitFor({ state: 'visible', timeout: MS });
  });

  it('New Chat starts an empty conversation and the list switches back', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: New Chat');
    await chat(wb).locator('.empty-state').waitFor({ state: 'visible', timeout: MS });
    await wb.runCommand('AnyAPI: Show Conversations');
    await wb.quickPickRow('Write add').waitFor({ state: 'visible', timeout: MS });
    await wb.screenshot('chat-conversations');
    await wb.pickQuickPickRow('Write add');
    await chat(wb).locator('.question-text', { hasText: 'Write add [[fake:code]]' }).waitFor({ state: 'visible', timeout: MS });
  });
  it('a reload while an answer streams keeps what had arrived, marked Interrupted, and Retry asks again', async () => {
    const wb = workbench();
    await ask(wb, 'Count slowly through a reload [[fake:slow]]');
    // chunk 14 arrives about 2 s in: what came a second before it must survive the reload.
    await lastTurn(wb).locator('.markdown', { hasText: 'chunk 14' }).waitFor({ state: 'visible', timeout: MS });
    // Saved at its first text and every 2 s while it streams: its file comes to hold its first second.
    await waitFor('the answer so far is saved', MS, async () => conversationFilesWith(wb, 'chunk 7 chunk 8').length > 0);
    await wb.page.reload({ waitUntil: 'domcontentloaded' });
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
    await wb.openView('AnyAPI');
    const turn = chat(wb).locator('section.turn', { has: chat(wb).locator('.question-text', { hasText: 'Count slowly through a reload' }) });
    await turn.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await turn.locator('.answer .markdown').innerText(), /chunk 1 chunk 2 .*chunk 7/);
    assert.match(await turn.locator('.meta').innerText(), /Interrupted/);
    const alert = turn.getByRole('alert');
    assert.match(await alert.innerText(), /The window closed while this answer arrived/);
    await alert.scrollIntoViewIfNeeded();
    await wb.screenshot('chat-interrupted');
    wb.fake.enqueue((x) => {
      x.res.writeHead(200, { 'content-type': 'application/json' });
      x.res.end(JSON.stringify({ id: 'resp_again', object: 'response', status: 'completed', model: 'gpt-5.1', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Answered again.' }] }] }));
    });
    await alert.getByRole('button', { name: 'Retry' }).click();
    await turn.locator('.answer .markdown', { hasText: 'Answered again.' }).waitFor({ state: 'visible', timeout: MS });
  });
});
