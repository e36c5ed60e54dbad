import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator } from 'playwright-core';
import { waitFor } from '../../scripts/harness/proc';
import { newResponseParts, responsesStream, usageFor } from '../support/fakeAnswers';
import type { FakeExchange, FakeHandler } from '../support/fakeAnyApi';
import { questionOf, sseHeaders } from '../support/fakeAnyApi';
import type { Workbench } from './support/workbench';
import { useWorkbench } from './support/workbench';

const KEY = 'sk-test-chat-more-7f3a9c21';
const REPLACE_SOURCE = ['// keep this line', 'const old = 2;', '// and this one', ''].join('\n');

// More of the chat view as a person uses it, from the keyboard and with a screen reader: the development build
// through the smoke-test driver, against the fake server. Tests build on each other, in order.
describe('Chat view, more of it (development build)', () => {
  const workbench = useWorkbench({
    extension: 'development',
    files: { 'src/replace.ts': REPLACE_SOURCE, '.vscode/settings.json': '{ "anyapi.model": "gpt-5.1" }\n' },
  });
  const MS = 30_000;

  function chat(wb: Workbench): FrameLocator {
    return wb.webview();
  }

  function input(wb: Workbench): Locator {
    return chat(wb).getByRole('textbox', { name: 'Ask AnyAPI' });
  }

  function turns(wb: Workbench): Locator {
    return chat(wb).locator('section.turn');
  }

  function lastTurn(wb: Workbench): Locator {
    return turns(wb).last();
  }

  function liveStatus(wb: Workbench): Locator {
    return chat(wb).getByRole('status');
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

  /** test-results/screenshots/<name>-light.png and <name>-dark.png; the workbench is back in light afterwards. */
  async function screenshots(wb: Workbench, name: string): Promise<void> {
    await wb.screenshot(name);
    await wb.setTheme('dark');
    await wb.screenshot(name);
    await wb.setTheme('light');
  }

  /** What a screen reader says for the element that has the keyboard focus inside the chat view. */
  async function focusedLabel(wb: Workbench): Promise<string> {
    return chat(wb)
      .locator('body')
      .evaluate((body) => {
        const el = body.ownerDocument.activeElement;
        if (!el || el === body) return '(nothing)';
        return el.getAttribute('aria-label') ?? `<${el.tagName.toLowerCase()}>`;
      });
  }

  /** Presses Tab `count` times from where the focus is and lists what gets the focus. */
  async function tabThrough(wb: Workbench, count: number): Promise<string[]> {
    const labels: string[] = [];
    for (let i = 0; i < count; i++) {
      await wb.page.keyboard.press('Tab');
      labels.push(await focusedLabel(wb));
    }
    return labels;
  }

  /** Buttons on screen without a name a screen reader could read. */
  async function unlabelledButtons(wb: Workbench): Promise<string[]> {
    return chat(wb)
      .locator('body')
      .evaluate((body) =>
        Array.from(body.querySelectorAll('button'))
          .filter((button) => button.getClientRects().length > 0)
          .filter((button) => !(button.getAttribute('aria-label') ?? button.textContent ?? '').trim())
          .map((button) => button.outerHTML.slice(0, 120)),
      );
  }

  /** A Responses stream the test writes itself: `text` in small deltas, `delayMs` apart, until the client leaves. */
  function scriptedAnswer(wb: Workbench, deltas: string[], delayMs: number): FakeHandler {
    const handler = async (x: FakeExchange): Promise<void> => {
      if (x.record.path !== '/v1/responses') {
        // Not the chat's request: answer it normally and keep the script for the next one.
        wb.fake.enqueue(handler);
        await x.playDefault();
        return;
      }
      const { allText, model } = questionOf(x.body);
      const plan = responsesStream(newResponseParts(model), { deltas, usage: usageFor(allText, deltas.join(''), model) });
      x.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      x.res.write(plan.opening.join(''));
      for (const delta of plan.deltas) {
        if (x.closed) return;
        x.res.write(delta);
        await x.sleep(delayMs);
      }
      if (!x.closed) x.res.end(plan.closing.join(''));
    };
    return handler;
  }

  /** The live region an element's changes are announced through. */
  async function liveRegionOf(element: Locator): Promise<{ live?: string | null; role?: string | null; label?: string | null }> {
    return element.evaluate((el) => {
      const live = el.closest('[aria-live]');
      return { live: live?.getAttribute('aria-live'), role: live?.getAttribute('role'), label: live?.getAttribute('aria-label') };
    });
  }

  function lastRequestBody(wb: Workbench): { input: { role: string; content: string }[] } {
    return wb.fake.requests.at(-1)?.body as { input: { role: string; content: string }[] };
  }

  it('without a key, the empty state is reached and used from the keyboard', async () => {
    const wb = workbench();
    await wb.openView('AnyAPI');
    const empty = chat(wb).locator('.empty-state');
    await empty.getByRole('button', { name: 'Set API Key' }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await empty.innerText(), /Set your AnyAPI key to start/);
    assert.deepStrictEqual(await unlabelledButtons(wb), []);
    // Tab order: the empty state's actions, then the question box, Add Context and Send.
    await empty.locator('h2').click();
    assert.deepStrictEqual(await tabThrough(wb, 5), ['Set API Key', 'Select Model', 'Ask AnyAPI', 'Add Context (#)', 'Send']);
    await screenshots(wb, 'chat-more-empty-no-key');
    // Enter on the focused Set API Key button opens the password box.
    await empty.locator('h2').click();
    await wb.page.keyboard.press('Tab');
    assert.strictEqual(await focusedLabel(wb), 'Set API Key');
    await wb.page.keyboard.press('Enter');
    await wb.answerInputBox(KEY, { password: true });
    await waitFor('the empty state names the model once a key is set', MS, async () => (await empty.innerText()).includes('gpt-5.1'));
  });

  it('an answer is reachable from the keyboard in order, every button has a name, the answer streams in a polite live region', async () => {
    const wb = workbench();
    await ask(wb, 'Write add [[fake:code]]');
    const turn = await answerFinished(wb);
    assert.deepStrictEqual(await liveRegionOf(turn.locator('.answer')), { live: 'polite', role: 'log', label: 'Conversation' });
    await turn.locator('.code-block').waitFor({ state: 'visible', timeout: MS });
    await waitFor('the end of the answer is announced politely', MS, async () => (await liveStatus(wb).innerText()).includes('Answer finished'));
    assert.strictEqual(await liveStatus(wb).getAttribute('aria-live'), 'polite');
    assert.deepStrictEqual(await unlabelledButtons(wb), []);
    // From the question's header: Edit, the code block's toolbar and code, Regenerate, the question box, Add Context, Send.
    await turn.locator('.question .role span:not(.codicon)').click();
    assert.deepStrictEqual(await tabThrough(wb, 9), [
      'Edit and Resend',
      'Copy',
      'Insert at Cursor',
      'Replace Selection',
      '<pre>',
      'Regenerate',
      'Ask AnyAPI',
      'Add Context (#)',
      'Send',
    ]);
    assert.strictEqual(await turn.getByRole('toolbar').getAttribute('aria-label'), 'Code block (ts)');
  });

  it('Replace Selection puts the code block over the editor’s selection, and one Ctrl+Z restores it', async () => {
    const wb = workbench();
    await wb.openFile('replace.ts');
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines').first();
    const editorText = async (): Promise<string> => (await editor.innerText()).replace(/\u00a0/g, ' ');
    await waitFor('the editor shows replace.ts', MS, async () => (await editorText()).includes('const old = 2;'));
    await wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'const old = 2;' }).click();
    await wb.page.keyboard.press('Home');
    await wb.page.keyboard.press('Shift+End');
    await wb.page.locator('.editor-instance .monaco-editor .selected-text').first().waitFor({ state: 'attached', timeout: MS });

    await lastTurn(wb).getByRole('button', { name: 'Replace Selection' }).click();
    await waitFor('the selection is replaced by the code', MS, async () => {
      const text = await editorText();
      return text.includes('export function add(a: number, b: number)') && !text.includes('const old = 2;') && text.includes('// and this one');
    });
    await wb.screenshot('chat-replace-selection');
    // The editor has the focus again; one undo restores the selection's text.
    await wb.page.locator('.editor-instance .monaco-editor.focused').first().waitFor({ state: 'visible', timeout: MS });
    await wb.page.keyboard.press('Control+Z');
    await waitFor('one Ctrl+Z restores the replaced text', MS, async () => {
      const text = await editorText();
      return text.includes('const old = 2;') && !text.includes('export function add');
    });
  });

  it('Enter while an answer streams says so politely, keeps the question, and it is sent once the answer is stopped', async () => {
    const wb = workbench();
    const slow = Array.from({ length: 600 }, (_, i) => `part ${i + 1} `);
    wb.fake.enqueue(scriptedAnswer(wb, slow, 150));
    await wb.openView('AnyAPI');
    await ask(wb, 'Count very slowly');
    await lastTurn(wb).locator('.markdown', { hasText: 'part 2' }).waitFor({ state: 'visible', timeout: MS });
    // The streaming answer is in the polite log region and marked busy, so it is announced once, complete.
    const streaming = lastTurn(wb).locator('.answer[aria-busy="true"]');
    assert.strictEqual(await streaming.count(), 1, 'the streaming answer is not marked aria-busy');
    assert.deepStrictEqual(await liveRegionOf(streaming), { live: 'polite', role: 'log', label: 'Conversation' });
    const requestsBefore = wb.fake.requests.length;
    const box = input(wb);
    await box.click();
    await box.fill('A follow-up while it is busy');
    await box.press('Enter');
    const busy = 'An answer is still being written: stop it or wait, then send.';
    await waitFor('the view says an answer is still being written', MS, async () => (await liveStatus(wb).innerText()).includes(busy));
    assert.strictEqual(await chat(wb).locator('#chat-hint').innerText(), busy);
    assert.strictEqual(await box.inputValue(), 'A follow-up while it is busy', 'the question was lost');
    assert.ok(await chat(wb).getByRole('button', { name: 'Stop' }).isVisible(), 'Stop is not offered');
    assert.strictEqual(await chat(wb).getByRole('button', { name: 'Send' }).isVisible(), false);
    assert.strictEqual(wb.fake.requests.length, requestsBefore, 'a second request was sent while the answer streamed');
    assert.strictEqual(await turns(wb).locator('.question-text', { hasText: 'A follow-up' }).count(), 0);
    await screenshots(wb, 'chat-busy');

    await chat(wb).getByRole('button', { name: 'Stop' }).click();
    await answerFinished(wb);
    await waitFor('the hint is back once the answer stopped', MS, async () => (await chat(wb).locator('#chat-hint').innerText()).startsWith('Enter to send'));
    await box.click();
    await box.press('Enter');
    await chat(wb).locator('section.turn .question-text', { hasText: 'A follow-up while it is busy' }).waitFor({ state: 'visible', timeout: MS });
    await answerFinished(wb);
    assert.strictEqual(lastRequestBody(wb).input.at(-1)?.content, 'A follow-up while it is busy');
  });

  it('Regenerate sends the same input again and replaces the answer', async () => {
    const wb = workbench();
    const turnCount = await turns(wb).count();
    const before = wb.fake.requests.length;
    const previousInput = lastRequestBody(wb).input;
    assert.match(await lastTurn(wb).locator('.markdown').innerText(), /Echo: A follow-up/);
    wb.fake.enqueue(scriptedAnswer(wb, ['**Second ', 'take:** a ', 'regenerated answer.'], 20));
    await lastTurn(wb).getByRole('button', { name: 'Regenerate' }).click();
    await waitFor('the regenerated request reaches the server', MS, async () => wb.fake.requests.length > before);
    assert.deepStrictEqual(lastRequestBody(wb).input, previousInput);
    const turn = await answerFinished(wb);
    await turn.locator('.markdown', { hasText: 'regenerated answer.' }).waitFor({ state: 'visible', timeout: MS });
    assert.doesNotMatch(await turn.locator('.markdown').innerText(), /Echo:/);
    assert.strictEqual(await turns(wb).count(), turnCount);
    await screenshots(wb, 'chat-regenerated');
  });

  it('Edit and Resend replaces the last question and its answer', async () => {
    const wb = workbench();
    const turnCount = await turns(wb).count();
    const before = wb.fake.requests.length;
    const box = input(wb);
    const banner = chat(wb).locator('.edit-banner');
    const startEditing = async (): Promise<void> => {
      await lastTurn(wb).getByRole('button', { name: 'Edit and Resend' }).click();
      await waitFor('the last question is in the input to edit', MS, async () => (await box.inputValue()) === 'A follow-up while it is busy');
      await banner.waitFor({ state: 'visible', timeout: MS });
    };
    await startEditing();
    assert.match(await banner.innerText(), /Editing the last question/);
    assert.ok(await banner.getByRole('button', { name: 'Cancel Edit' }).isVisible());
    await wb.screenshot('chat-editing');
    // Escape in the input cancels the edit (and the palette, used to change the theme, starts with Escape).
    await box.press('Escape');
    await banner.waitFor({ state: 'hidden', timeout: MS });
    assert.strictEqual(await box.inputValue(), '');
    await wb.setTheme('dark');
    await startEditing();
    await wb.screenshot('chat-editing');
    await wb.setTheme('light');
    await startEditing();
    await box.click();
    await box.fill('An edited follow-up');
    await box.press('Enter');
    await waitFor('the edited question reaches the server', MS, async () => wb.fake.requests.length > before);
    assert.strictEqual(lastRequestBody(wb).input.at(-1)?.content, 'An edited follow-up');
    const turn = await answerFinished(wb);
    await turn.locator('.markdown', { hasText: 'Echo: An edited follow-up' }).waitFor({ state: 'visible', timeout: MS });
    assert.strictEqual(await turns(wb).count(), turnCount);
    assert.strictEqual(await turns(wb).locator('.question-text', { hasText: 'A follow-up while it is busy' }).count(), 0);
    assert.ok(await banner.isHidden(), 'the edit banner stayed');
  });

  /** Opens the conversation list and clicks a row's button (shown on hover) until what it opens is there. */
  async function listButton(wb: Workbench, title: string, button: 'Rename' | 'Delete', opened: () => Promise<boolean>): Promise<void> {
    await wb.runCommand('AnyAPI: Show Conversations');
    await wb.quickPickRow(title).waitFor({ state: 'visible', timeout: MS });
    await wb.clickQuickPickRowButton(title, button, opened);
  }

  it('renames and deletes conversations from the conversation list', async () => {
    const wb = workbench();
    // The rename box holds the current title, ready to be changed.
    await listButton(wb, 'Write add', 'Rename', async () => (await wb.quickInputBox.inputValue().catch(() => '')).startsWith('Write add'));
    await wb.answerInputBox('Sums and follow-ups');
    await wb.runCommand('AnyAPI: Show Conversations');
    const renamed = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Sums and follow-ups' }).first();
    await renamed.waitFor({ state: 'visible', timeout: MS });
    assert.match(await renamed.innerText(), /current/);
    // Changing the theme goes through the palette, which closes the list: reopen it for the dark picture.
    await wb.screenshot('chat-conversations-renamed');
    await wb.setTheme('dark');
    await wb.runCommand('AnyAPI: Show Conversations');
    await renamed.waitFor({ state: 'visible', timeout: MS });
    await wb.screenshot('chat-conversations-renamed');
    await wb.setTheme('light');

    await wb.runCommand('AnyAPI: New Chat');
    await chat(wb).locator('.empty-state').waitFor({ state: 'visible', timeout: MS });
    await ask(wb, 'A throwaway question');
    await answerFinished(wb);
    const dialog = wb.page.locator('.monaco-dialog-box');
    await listButton(wb, 'A throwaway question', 'Delete', () => dialog.isVisible());
    await dialog.waitFor({ state: 'visible', timeout: MS });
    assert.match(await dialog.innerText(), /Delete the conversation “A throwaway question”\?/);
    await wb.screenshot('chat-delete-confirmation');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: MS });
    await waitFor('the deleted conversation leaves the view', MS, async () => (await turns(wb).locator('.question-text', { hasText: 'A throwaway question' }).count()) === 0);

    await wb.runCommand('AnyAPI: Show Conversations');
    await renamed.waitFor({ state: 'visible', timeout: MS });
    const rows = await wb.page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
    assert.ok(!rows.some((row) => row.includes('A throwaway question')), `still listed: ${rows.join(' | ')}`);
    await wb.pickQuickPickRow('Sums and follow-ups');
    await chat(wb).locator('.question-text', { hasText: 'An edited follow-up' }).waitFor({ state: 'visible', timeout: MS });
  });

  it('exports the conversation to Markdown through the save dialog, without the key', async () => {
    const wb = workbench();
    const target = path.join(wb.run.workspace, 'exported-chat.md');
    await wb.runCommand('AnyAPI: Export Conversation to Markdown');
    // code-server's save dialog is VS Code's simple file dialog: a quick input holding a path.
    await waitFor('the save dialog proposes a Markdown file in the workspace', MS, async () =>
      (await wb.quickInputBox.inputValue().catch(() => '')).endsWith('.md'),
    );
    assert.match(await wb.quickInputBox.inputValue(), /Sums and follow-ups\.md$/);
    await wb.quickInputBox.fill(target);
    await wb.screenshot('chat-export-dialog');
    await wb.quickInputBox.press('Enter');
    await waitFor('the export is written to disk', MS, async () => fs.existsSync(target) && fs.readFileSync(target, 'utf8').includes('An edited follow-up'));
    const markdown = fs.readFileSync(target, 'utf8');
    assert.match(markdown, /^# Sums and follow-ups\n/);
    assert.match(markdown, /## You\n\nWrite add \[\[fake:code\]\]/);
    assert.match(markdown, /export function add\(a: number, b: number\): number \{/);
    assert.match(markdown, /\*\*Echo:\*\* An edited follow-up/);
    assert.match(markdown, /\(model gpt-5\.1\)/);
    assert.ok(!markdown.includes(KEY) && !markdown.includes('sk-test'), 'the key is in the export');
    assert.ok(!markdown.includes('A throwaway question'), 'the deleted conversation is in the export');
  });

  it('an older failed answer keeps its error without Retry, and a new question does not re-add earlier turns to the live region', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: New Chat');
    await ask(wb, 'Refuse this one [[fake:error-400]]');
    const failed = lastTurn(wb);
    await failed.getByRole('alert').waitFor({ state: 'visible', timeout: MS });
    assert.ok(await failed.getByRole('button', { name: 'Retry' }).isVisible(), 'the last failed answer offers no Retry');
    // Screen readers re-read whatever is added to the polite log region: the failed turn must stay the same node.
    await failed.evaluate((section) => section.setAttribute('data-test-kept', 'yes'));

    await ask(wb, 'A later question');
    await answerFinished(wb);
    const older = turns(wb).first();
    assert.strictEqual(await older.getAttribute('data-test-kept'), 'yes', 'the earlier turn was rebuilt, so it is announced again');
    assert.match(await older.getByRole('alert').innerText(), /AnyAPI refused the request/, 'the error is no longer shown');
    assert.strictEqual(await older.getByRole('button', { name: 'Retry' }).count(), 0, 'an older failed turn still offers Retry');
    assert.strictEqual(await older.getByRole('button', { name: 'Show Log' }).count(), 1, 'the other next steps stay');
    assert.match(await lastTurn(wb).locator('.markdown').innerText(), /A later question/);
  });

  it('a code block with invisible or text-direction characters says so, and Insert asks before it puts them in', async () => {
    const wb = workbench();
    wb.fake.enqueue(scriptedAnswer(wb, ['Here:\n\n```js\n', 'const role = "user\u202E \u2066// admin\u2069";\n', '```\n'], 20));
    await ask(wb, 'Show me the trojan');
    const turn = await answerFinished(wb);
    const warning = turn.locator('.code-block .code-warning');
    await warning.waitFor({ state: 'visible', timeout: MS });
    assert.match(await warning.innerText(), /3 invisible or text-direction characters/);
    assert.strictEqual(await warning.getAttribute('role'), 'note');
    await wb.screenshot('chat-hidden-characters');

    await wb.openFile('replace.ts');
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines').first();
    await wb.page.keyboard.press('Control+End');
    await turn.getByRole('button', { name: 'Insert at Cursor' }).click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: MS });
    assert.match(await dialog.innerText(), /3 invisible or text-direction characters/);
    await dialog.getByRole('button', { name: 'Remove Them and Insert' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: MS });
    const file = path.join(wb.run.workspace, 'src', 'replace.ts');
    await waitFor('the editor shows the code without the hidden characters', MS, async () =>
      (await editor.innerText()).replace(/\u00a0/g, ' ').includes('const role = "user // admin";'),
    );
    await wb.page.keyboard.press('Control+S');
    await waitFor('the saved file has none of them', MS, async () => {
      const text = fs.readFileSync(file, 'utf8');
      return text.includes('const role = "user // admin";') && !/[\u202E\u2066\u2069]/.test(text);
    });
  });
  it('a conversation too long for the model offers New Chat and Retry With Fewer Turns, not Retry, and says what was left out', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: New Chat');
    for (const question of ['First turn', 'Second turn', 'Third turn']) {
      await ask(wb, question);
      await answerFinished(wb);
    }
    // The model's context holds at most one earlier turn: more is refused as OpenAI refuses it.
    const tooLong: FakeHandler = (x: FakeExchange) => {
      const input = (x.body as { input?: unknown[] }).input ?? [];
      if (input.length <= 3) return x.playDefault();
      x.res.writeHead(400, { 'content-type': 'application/json' });
      x.res.end(JSON.stringify({ error: { message: 'Your input exceeds the context window of this model. Please adjust your input and try again.', type: 'invalid_request_error', param: 'input', code: 'context_length_exceeded' } }));
      return undefined;
    };
    wb.fake.enqueue(tooLong, tooLong, tooLong);
    await ask(wb, 'Fourth turn');
    const alert = lastTurn(wb).getByRole('alert');
    await alert.waitFor({ state: 'visible', timeout: MS });
    assert.match(await alert.innerText(), /The conversation is too long for the model \(server said: Your input exceeds the context window/);
    const buttons = await alert.getByRole('button').allInnerTexts();
    assert.deepStrictEqual(buttons.map((b) => b.trim()), ['New Chat', 'Retry With Fewer Turns', 'Show Log']);
    await wb.screenshot('chat-context-too-long');

    const before = wb.fake.requests.length;
    await alert.getByRole('button', { name: 'Retry With Fewer Turns' }).click();
    const turn = await answerFinished(wb);
    assert.match(await turn.locator('.markdown').innerText(), /Echo: Fourth turn/);
    assert.match(await turn.locator('.meta').innerText(), /first 2 turns not sent/);
    const sent = wb.fake.requests.slice(before).map((request) => ((request.body as { input?: { content: string }[] }).input ?? []).map((m) => m.content));
    assert.deepStrictEqual(sent.at(-1), ['Third turn', '**Echo:** Third turn\n\nThis is the fake AnyAPI answer (model `gpt-5.1`).', 'Fourth turn']);

    // The next question keeps leaving them out; New Chat from the error starts afresh with the question in the input.
    wb.fake.enqueue(tooLong, tooLong, tooLong);
    await ask(wb, 'Fifth turn, far too long with everything before it');
    const second = lastTurn(wb).getByRole('alert');
    await second.waitFor({ state: 'visible', timeout: MS });
    await second.getByRole('button', { name: 'New Chat' }).click();
    await chat(wb).locator('.empty-state').waitFor({ state: 'visible', timeout: MS });
    await waitFor('the question waits in the input of the new chat', MS, async () => (await input(wb).inputValue()) === 'Fifth turn, far too long with everything before it');
    wb.fake.reset();
  });
  it('a new turn from the editor ends an edit in progress: the draft stays as an ordinary question and the new turn is kept', async () => {
    const wb = workbench();
    await input(wb).fill('');
    await ask(wb, 'Before the explain');
    await answerFinished(wb);
    const banner = chat(wb).locator('.edit-banner');
    await lastTurn(wb).getByRole('button', { name: 'Edit and Resend' }).click();
    await banner.waitFor({ state: 'visible', timeout: MS });
    await input(wb).fill('An edit that must not land');

    await wb.openFile('replace.ts');
    await wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: '// keep this line' }).click();
    await wb.page.keyboard.press('Home');
    await wb.page.keyboard.press('Shift+End');
    await wb.page.locator('.editor-instance .monaco-editor .selected-text').first().waitFor({ state: 'attached', timeout: MS });
    const count = await turns(wb).count();
    await wb.runCommand('AnyAPI: Explain Selection');
    await waitFor('the explain turn is added', MS, async () => (await turns(wb).count()) === count + 1);
    const explained = await answerFinished(wb);
    const explainQuestion = await explained.locator('.question-text').innerText();
    await banner.waitFor({ state: 'hidden', timeout: MS });
    assert.strictEqual(await input(wb).inputValue(), 'An edit that must not land', 'the draft was lost');

    await input(wb).press('Enter');
    await chat(wb).locator('section.turn .question-text', { hasText: 'An edit that must not land' }).waitFor({ state: 'visible', timeout: MS });
    await answerFinished(wb);
    assert.strictEqual(await turns(wb).count(), count + 2, 'the edit replaced a turn instead of adding one');
    const kept = turns(wb).nth(count);
    assert.strictEqual(await kept.locator('.question-text').innerText(), explainQuestion, 'the explain turn was overwritten');
    assert.match(await kept.locator('.answer .markdown').innerText(), /Echo:/);
  });
  it('Show Conversations finds a conversation by a word that only its answer holds', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: New Chat');
    const answer: FakeHandler = (x: FakeExchange) => {
      const plan = responsesStream(newResponseParts('gpt-5.1'), { deltas: ['The capital of Mongolia ', 'is Ulaanbaatar.'], usage: usageFor('', 'x', 'gpt-5.1') });
      x.res.writeHead(200, sseHeaders);
      x.res.end([...plan.opening, ...plan.deltas, ...plan.closing].join(''));
    };
    wb.fake.enqueue(answer);
    await ask(wb, 'Which city is it?');
    await answerFinished(wb);
    await wb.runCommand('AnyAPI: New Chat');
    await chat(wb).locator('.empty-state').waitFor({ state: 'visible', timeout: MS });

    await wb.runCommand('AnyAPI: Show Conversations');
    await wb.quickInputBox.fill('ulaanbaatar');
    const row = wb.quickPickRow('Which city is it?');
    await row.waitFor({ state: 'visible', timeout: MS });
    assert.match(await row.innerText(), /The capital of Mongolia is Ulaanbaatar\./);
    await wb.screenshot('chat-conversation-search');
    await wb.pickQuickPickRow('Which city is it?');
    await chat(wb).locator('.question-text', { hasText: 'Which city is it?' }).waitFor({ state: 'visible', timeout: MS });
  });
  it('Insert at Cursor at the end of a comment line puts the code on a line of its own, not glued onto the comment', async () => {
    const wb = workbench();
    await ask(wb, 'Code for the comment [[fake:code]]');
    await answerFinished(wb);
    await wb.openFile('replace.ts');
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines').first();
    const editorText = async (): Promise<string> => (await editor.innerText()).replace(/\u00a0/g, ' ');
    await wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: '// keep this line' }).click();
    await wb.page.keyboard.press('End');
    await lastTurn(wb).getByRole('button', { name: 'Insert at Cursor' }).click();
    // Monaco lays its lines out in any DOM order: judge line by line.
    const lines = async (): Promise<string[]> =>
      (await wb.page.locator('.editor-instance .monaco-editor .view-line').allInnerTexts()).map((line) => line.replace(/\u00a0/g, ' '));
    await waitFor('the code starts on a line of its own, the comment line is untouched', MS, async () => {
      const shown = await lines();
      return shown.includes('// keep this line') && shown.some((line) => line.startsWith('export function add('));
    });
    // The editor takes the focus back after the insert; Ctrl+Z pressed before that would go to the chat view.
    await wb.page.locator('.editor-instance .monaco-editor.focused').first().waitFor({ state: 'visible', timeout: MS });
    await wb.page.keyboard.press('Control+Z');
    await waitFor('one Ctrl+Z takes it out again', MS, async () => !(await editorText()).includes('export function add'));
  });
  it('a failed Regenerate keeps the answer from before: shown until the failure, then shown again with its model line, the failure said under it', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: New Chat');
    await ask(wb, 'Keep my good answer');
    const turn = await answerFinished(wb);
    const answerText = turn.locator('.answer > .markdown');
    const goodAnswer = await answerText.innerText();
    const goodMeta = await turn.locator('.meta').innerText();
    assert.match(goodAnswer, /Echo: Keep my good answer/);
    assert.match(goodMeta, /gpt-5\.1 · \d+ in · \d+ out/);
    // Cloudflare's bad gateway, on every try (the client tries a 502 three times); the first one takes its time.
    let tries = 0;
    const badGateway: FakeHandler = async (x: FakeExchange) => {
      if (x.record.path !== '/v1/responses') {
        wb.fake.enqueue(badGateway);
        await x.playDefault();
        return;
      }
      if (++tries === 1) await x.sleep(2_000);
      x.res.writeHead(502, { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare' });
      x.res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>');
    };
    wb.fake.enqueue(badGateway, badGateway, badGateway);
    await turn.getByRole('button', { name: 'Regenerate' }).click();
    // While the new answer has no text, the one from before stays in view.
    await turn.locator('.answer[aria-busy="true"] .earlier-answer', { hasText: 'Echo: Keep my good answer' }).waitFor({ state: 'visible', timeout: MS });

    const alert = turn.getByRole('alert');
    await alert.waitFor({ state: 'visible', timeout: MS });
    assert.strictEqual(tries, 3);
    const said = await alert.innerText();
    assert.match(said, /The new answer failed, so the previous answer is shown again\./);
    assert.match(said, /HTTP 502/);
    assert.ok(await alert.getByRole('button', { name: 'Retry' }).isVisible(), 'the failure offers no Retry');
    // A screen reader hears the failure, not that an answer finished.
    await waitFor('the failure is announced', MS, async () => /The new answer failed.*HTTP 502/s.test(await liveStatus(wb).innerText()));
    await turn.locator('.answer:not([aria-busy="true"]) .meta').waitFor({ state: 'visible', timeout: MS });
    assert.strictEqual(await answerText.innerText(), goodAnswer, 'the answer from before is not shown again');
    assert.strictEqual(await turn.locator('.meta').innerText(), goodMeta, 'the answer from before lost its model line');
    assert.ok(await turn.getByRole('button', { name: 'Regenerate' }).isVisible());
    assert.strictEqual(await turn.locator('.answer-versions').count(), 0, 'an attempt without any text became an answer to page to');
    assert.deepStrictEqual(await unlabelledButtons(wb), []);
    await screenshots(wb, 'chat-regenerate-failed');
  });
  it('a Regenerate that succeeds keeps both answers: ‹ 2 of 2 ›, Previous shows the first, and the one shown is what the next question sends', async () => {
    const wb = workbench();
    const turn = lastTurn(wb);
    const answerText = turn.locator('.answer > .markdown');
    const first = await answerText.innerText();
    assert.match(first, /Echo: Keep my good answer/);
    wb.fake.enqueue(scriptedAnswer(wb, ['A second ', 'take on ', 'it.'], 20));
    await turn.getByRole('button', { name: 'Regenerate' }).click();
    await answerText.filter({ hasText: 'A second take on it.' }).waitFor({ state: 'visible', timeout: MS });
    await answerFinished(wb);
    const second = turn.getByRole('group', { name: 'Answer 2 of 2' });
    await second.waitFor({ state: 'visible', timeout: MS });
    assert.strictEqual(await second.locator('.version-position').innerText(), '2 of 2');
    assert.ok(await second.getByRole('button', { name: 'Next answer' }).isDisabled(), 'Next is offered on the last answer');
    assert.strictEqual(await turn.getByRole('alert').count(), 0, 'the failure of the Regenerate before is still said');

    await second.getByRole('button', { name: 'Previous answer' }).click();
    const firstShown = turn.getByRole('group', { name: 'Answer 1 of 2' });
    await firstShown.waitFor({ state: 'visible', timeout: MS });
    assert.strictEqual(await answerText.innerText(), first);
    assert.match(await turn.locator('.meta').innerText(), /gpt-5\.1 · \d+ in · \d+ out/);
    assert.strictEqual(await focusedLabel(wb), 'Next answer', 'the focus left the answer’s buttons');
    // From the keyboard: Enter pages on, the focus staying on the buttons.
    await wb.page.keyboard.press('Enter');
    await second.waitFor({ state: 'visible', timeout: MS });
    assert.match(await answerText.innerText(), /A second take on it\./);
    assert.strictEqual(await focusedLabel(wb), 'Previous answer');
    await wb.page.keyboard.press('Enter');
    await firstShown.waitFor({ state: 'visible', timeout: MS });
    await screenshots(wb, 'chat-answer-versions');

    const before = wb.fake.requests.length;
    await ask(wb, 'And a follow-up');
    await answerFinished(wb);
    const sent = wb.fake.requests.slice(before).map((request) => ((request.body as { input?: { content: string }[] }).input ?? []).map((m) => m.content)).at(-1) ?? [];
    assert.strictEqual(sent.length, 3, sent.join(' | '));
    assert.deepStrictEqual([sent[0], sent[2]], ['Keep my good answer', 'And a follow-up']);
    assert.match(sent[1], /^\*\*Echo:\*\* Keep my good answer/, 'the history is not the answer shown');
    // The earlier turn keeps its answers to page through.
    const earlier = turns(wb).nth((await turns(wb).count()) - 2);
    assert.ok(await earlier.getByRole('group', { name: 'Answer 1 of 2' }).isVisible(), 'the earlier turn lost its answers');
  });
});

