import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeAnyApi } from '../support/fakeAnyApi';
import { startFakeAnyApi } from '../support/fakeAnyApi';
import { activateExtension, eventually, setUserBaseUrl, uniqueKey } from './helpers';

type ChatResult = { status: string; message?: string; answer?: { state: string; text: string; errorMessage?: string } };
type Sent = { role: string; content: string }[];

/** A window of 2000 tokens keeps 500 for the answer (a quarter, anyapi.maxOutputTokens being unset): 1500 for the input. */
const WINDOW = 2000;
const BUDGET = 1500;

/** 24 lines, about 1,500 characters: with the prompt and the answer, a turn is about 420 tokens. */
const SOURCE = Array.from({ length: 24 }, (_, n) => `export const limit${String(n).padStart(2, '0')} = ${n * 1000}; // one of the limits asked about`).join('\n') + '\n';
const QUESTIONS = ['Question one: which limit is largest?', 'Question two: which is smallest?', 'Question three: any duplicates?', 'Question four: what is their sum?'];

async function setWindow(value: number | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('anyapi').update('contextWindowTokens', value, vscode.ConfigurationTarget.Global);
  await eventually(`anyapi.contextWindowTokens is ${value}`, () => vscode.workspace.getConfiguration('anyapi').inspect('contextWindowTokens')?.globalValue === value);
}

async function openLimits(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  const file = path.join(folder.uri.fsPath, 'limits.ts');
  fs.writeFileSync(file, SOURCE);
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  editor.selection = new vscode.Selection(0, 0, 24, 0);
}

function ask(instruction: string): Thenable<ChatResult> {
  return vscode.commands.executeCommand<ChatResult>('anyapi.askAboutSelection', { instruction });
}

function inputOf(fake: FakeAnyApi, at: number): Sent {
  return (fake.requests[at].body as { input: Sent }).input;
}

/** Which of QUESTIONS the request's user messages start with. */
function questionsIn(input: Sent): string[] {
  return input.filter((message) => message.role === 'user').map((message) => QUESTIONS.find((question) => message.content.startsWith(question)) ?? message.content);
}

describe('The chat fits the conversation to the model’s context window (anyapi.contextWindowTokens)', () => {
  let fake: FakeAnyApi;

  before(async () => {
    await activateExtension();
    fake = await startFakeAnyApi();
    await vscode.commands.executeCommand('anyapi.setApiKey', uniqueKey('sk-test-window'));
    await setUserBaseUrl(fake.url);
    await setWindow(WINDOW);
  });

  after(async () => {
    await setWindow(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await fake?.close();
  });

  it('leaves the oldest turns out once the history is over the window, never the current question and its code', async () => {
    await vscode.commands.executeCommand('anyapi.newChat');
    await openLimits();
    const first = fake.requests.length;
    for (const question of QUESTIONS) {
      const result = await ask(question);
      assert.strictEqual(result.answer?.state, 'done', result.answer?.errorMessage ?? result.message);
    }
    assert.strictEqual(fake.requests.length, first + QUESTIONS.length, 'one request per question');

    // While it fits, the whole conversation is sent.
    assert.deepStrictEqual(questionsIn(inputOf(fake, first + 1)), QUESTIONS.slice(0, 2));
    // The fourth question does not fit beside all three before it: the first one is left out, the rest go.
    const last = inputOf(fake, first + 3);
    assert.deepStrictEqual(questionsIn(last), QUESTIONS.slice(1));
    assert.ok(last[last.length - 1].content.includes(SOURCE.trimEnd()), 'the current question goes with its code');
    assert.ok(last.some((message) => message.role === 'assistant' && message.content.startsWith('**Echo:** Question three')), 'the answers of the turns sent go too');
    // What the fake server counts (a token per 4 characters) stays within the budget.
    const characters = last.reduce((sum, message) => sum + message.content.length, 0);
    assert.ok(characters / 4 <= BUDGET, `${characters / 4} tokens sent, over ${BUDGET}`);
  });

  it('refuses a question too large for the window alone, with its size and the limit, and sends nothing', async () => {
    await vscode.commands.executeCommand('anyapi.newChat');
    await openLimits();
    const before = fake.requests.length;
    const result = await ask(`Question five: explain all of it. ${'Consider every limit in turn. '.repeat(200)}`);

    assert.strictEqual(result.answer?.state, 'error');
    const sentence = result.answer?.errorMessage ?? '';
    assert.match(sentence, /about [\d,]+ tokens/, sentence);
    assert.ok(sentence.includes(BUDGET.toLocaleString('en')) && sentence.includes(WINDOW.toLocaleString('en')), sentence);
    assert.strictEqual(fake.requests.length, before, 'a request was sent');
  });
});
