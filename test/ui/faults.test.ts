import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator } from 'playwright-core';
import { repoRoot } from '../../scripts/harness/paths';
import { log, waitFor } from '../../scripts/harness/proc';
import { newResponseParts, responsesStream, usageFor } from '../support/fakeAnswers';
import type { FakeExchange, FakeHandler } from '../support/fakeAnyApi';
import { sendJson, streamRaw } from '../support/fakeAnyApi';
import { startSwitchableProxy } from '../support/switchableProxy';
import type { SwitchableProxy } from '../support/switchableProxy';
import { browserStorageWith } from './support/browserStorage';
import { conversationFilesWith, filesWith as filesIn } from './support/storedFiles';
import type { Workbench } from './support/workbench';
import { useWorkbench } from './support/workbench';

// The fault matrix (npm run test:faults): each fault is played by the fake server or the proxy while a person uses the
// chat view. Each must end in a sentence with a next step, keep the question and what arrived of the answer, and leave
// the next request working. The key is set once, through the password box, and is then looked for everywhere the
// user or a log could see it. What each fault showed is written to test-results/faults.json.

const KEY = 'sk-test-sweep-5c9e1a7f3b2d4086';
const MS = 30_000;
const FAULT_MS = 120_000;
const MODEL = 'gpt-5.1';

interface FaultRecord {
  readonly fault: string;
  readonly question: string;
  /** The sentence the chat showed (the alert, the answer's status line, or the dialog). */
  readonly sentence: string;
  /** The buttons offered with it. */
  readonly buttons: string[];
  readonly questionKept: boolean;
  /** What the turn kept of the answer. */
  readonly answerKept: string;
  /** Whether the part of the answer that arrived before the fault is still shown (null: none arrived). */
  readonly partialKept: boolean | null;
  readonly nextRequestWorked: boolean;
  /** How often the key occurs in the chat view's DOM and the workbench's after the fault. */
  readonly keyShown: number;
}

const records: FaultRecord[] = [];

function writeRecords(): void {
  const dir = path.join(repoRoot, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'faults.json'), `${JSON.stringify({ key: '(a known test key)', faults: records }, null, 2)}\n`);
}

function occurrences(text: string, needle: string = KEY): number {
  return text.split(needle).length - 1;
}

/** A Responses stream that sends `deltas`, then goes silent with the connection open. */
function stallAfter(deltas: string[]): FakeHandler {
  return async (x: FakeExchange) => {
    const plan = responsesStream(newResponseParts(MODEL), { deltas, usage: usageFor('', deltas.join(''), MODEL), terminal: 'completed' });
    await streamRaw(x, [...plan.opening, ...plan.deltas], { end: 'hang' });
  };
}

/** The stream opens (`response.created`), then only comment lines (`: ping`) come, once a second: the relay's upstream died. */
const pingsOnly: FakeHandler = async (x) => {
  const plan = responsesStream(newResponseParts(MODEL), { deltas: [], usage: usageFor('', '', MODEL), terminal: 'completed' });
  await streamRaw(x, [...plan.opening, ...Array.from({ length: 120 }, () => ': ping\n\n')], { delayMs: 1_000, end: 'hang' });
};

/** Two deltas, then an event whose JSON is cut off. */
const malformedEvent: FakeHandler = async (x) => {
  const plan = responsesStream(newResponseParts(MODEL), { deltas: ['Before ', 'garbage '], usage: usageFor('', 'Before garbage ', MODEL), terminal: 'completed' });
  await streamRaw(x, [...plan.opening, ...plan.deltas, 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"bro\n\n'], { end: 'hang' });
};

/** 429 with `retry-after` longer than the client waits by itself. */
const rateLimitedForAnHour: FakeHandler = (x) => {
  x.res.setHeader('retry-after', '3600');
  sendJson(x.res, 429, { error: { message: 'Rate limit reached for gpt-5.1 in organization org-test on requests per min.', type: 'requests', code: 'rate_limit_exceeded' } });
};

function chat(wb: Workbench): FrameLocator {
  return wb.webview();
}

function lastTurn(wb: Workbench): Locator {
  return chat(wb).locator('section.turn').last();
}

async function ask(wb: Workbench, question: string): Promise<void> {
  const box = chat(wb).getByRole('textbox', { name: 'Ask AnyAPI' });
  await box.waitFor({ state: 'visible', timeout: MS });
  await box.click();
  await box.fill(question);
  await box.press('Enter');
  await chat(wb).locator('section.turn .question-text', { hasText: question }).last().waitFor({ state: 'visible', timeout: MS });
}

async function answerSettled(wb: Workbench, timeout = FAULT_MS): Promise<Locator> {
  const turn = lastTurn(wb);
  await turn.locator('.answer[aria-busy="true"]').waitFor({ state: 'detached', timeout });
  return turn;
}

async function keyShownNow(wb: Workbench): Promise<number> {
  const view = await chat(wb).locator(':root').evaluate((root) => root.outerHTML);
  return occurrences(view) + occurrences(await wb.page.content());
}

async function setKey(wb: Workbench): Promise<void> {
  await wb.openView('AnyAPI');
  const setKeyButton = chat(wb).getByRole('button', { name: 'Set API Key' });
  await setKeyButton.waitFor({ state: 'visible', timeout: 60_000 });
  await setKeyButton.click();
  await wb.answerInputBox(KEY, { password: true });
  await waitFor('the empty state names the model once the key is set', MS, async () => (await chat(wb).locator('.empty-state').innerText()).includes(MODEL));
}

async function newChat(wb: Workbench): Promise<void> {
  await wb.runCommand('AnyAPI: New Chat');
  await chat(wb).locator('.empty-state').waitFor({ state: 'visible', timeout: MS });
}

/** Asks a plain question after a fault and waits for its whole answer. */
async function nextRequestWorks(wb: Workbench, fault: string): Promise<boolean> {
  const question = `After ${fault}, a plain question`;
  await ask(wb, question);
  const turn = await answerSettled(wb);
  await turn.locator('.meta').waitFor({ state: 'visible', timeout: MS });
  // textContent: an answer part out of sight is not laid out (content-visibility), and innerText leaves it out.
  const answer = (await turn.locator('.answer .markdown').textContent()) ?? '';
  assert.match(answer, new RegExp(`Echo: After ${fault.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, a plain question`), `the request after "${fault}" did not work: ${answer}`);
  return true;
}

interface Fault {
  readonly fault: string;
  readonly question: string;
  /** Sets the fault up before the question is sent (scripted answers, a server or proxy going away). */
  readonly arrange?: (wb: Workbench) => Promise<void> | void;
  /** What the person does while the answer runs (Stop). */
  readonly act?: (wb: Workbench) => Promise<void>;
  /** Undoes the fault before the next request. */
  readonly restore?: (wb: Workbench) => Promise<void> | void;
  /** The sentence shown: in the alert, or in the answer's status line when there is no alert. */
  readonly sentence: RegExp;
  /** Buttons the alert must offer. */
  readonly buttons?: string[];
  /** Buttons the alert must not offer (a retry that cannot help). */
  readonly notButtons?: string[];
  /** The part of the answer that arrived before the fault. */
  readonly partial?: string;
}

async function playFault(wb: Workbench, f: Fault): Promise<void> {
  await newChat(wb);
  wb.fake.reset();
  await f.arrange?.(wb);
  await ask(wb, f.question);
  await f.act?.(wb);
  const turn = await answerSettled(wb);
  let sentence: string;
  let buttons: string[] = [];
  const alert = turn.getByRole('alert');
  const status = turn.locator('.meta');
  await waitFor(`"${f.fault}" shows a sentence`, MS, async () => (await alert.count()) > 0 || (await status.count()) > 0);
  if ((await alert.count()) > 0) {
    sentence = await alert.locator('.error-body > p').first().innerText();
    buttons = (await alert.getByRole('button').allInnerTexts()).map((b) => b.trim()).filter(Boolean);
  } else {
    sentence = await status.innerText();
  }
  const questionText = await turn.locator('.question-text').innerText();
  // textContent: the view skips laying out answer parts scrolled out of sight (content-visibility), innerText with them.
  const answerKept = ((await turn.locator('.markdown').textContent().catch(() => '')) ?? '').trim();
  const keyShown = await keyShownNow(wb);
  wb.fake.reset();
  await f.restore?.(wb);
  const record: FaultRecord = {
    fault: f.fault,
    question: f.question,
    sentence: sentence.trim(),
    buttons,
    questionKept: questionText.includes(f.question),
    answerKept: answerKept.length > 400 ? `${answerKept.slice(0, 400)}… (${answerKept.length} characters)` : answerKept,
    partialKept: f.partial === undefined ? null : answerKept.includes(f.partial),
    nextRequestWorked: await nextRequestWorks(wb, f.fault),
    keyShown,
  };
  records.push(record);
  log(`fault "${f.fault}": ${record.sentence.split('\n')[0]} [${buttons.join(', ')}]`);
  assert.match(record.sentence, f.sentence, `"${f.fault}" said: ${record.sentence}`);
  for (const button of f.buttons ?? []) assert.ok(buttons.includes(button), `"${f.fault}" offers no ${button}: [${buttons.join(', ')}]`);
  for (const button of f.notButtons ?? []) assert.ok(!buttons.includes(button), `"${f.fault}" offers ${button}, which cannot help`);
  assert.ok(buttons.length > 0 || /Stopped/.test(record.sentence), `"${f.fault}" offers no next step`);
  assert.ok(record.questionKept, `"${f.fault}" lost the question`);
  if (f.partial !== undefined) assert.ok(record.partialKept, `"${f.fault}" lost the partial answer: ${answerKept}`);
  assert.strictEqual(keyShown, 0, `the key is shown after "${f.fault}"`);
}

/** Every file under `dir` that contains the key, with the count. */
function filesWith(dir: string, needle: string = KEY): string[] {
  return filesIn(dir, needle);
}

/**
 * What the browser stores for the workbench (VS Code in a browser keeps its state, the extension's workspaceState and
 * the webview's state in IndexedDB; the conversations are files, swept with the others): every entry holding the key,
 * by database, store and key. Secret storage is the one place the key belongs; it is named separately.
 */
async function browserStorageWithKey(wb: Workbench): Promise<{ secret: string[]; elsewhere: string[] }> {
  const entries = await browserStorageWith(wb, KEY);
  const secret = entries.filter((entry) => /secret/i.test(entry));
  return { secret, elsewhere: entries.filter((entry) => !secret.includes(entry)) };
}

describe('Fault matrix: the chat through each fault, directly to the server', () => {
  const workbench = useWorkbench({
    extension: 'development',
    files: { '.vscode/settings.json': `{ "anyapi.model": "${MODEL}" }\n` },
    userSettings: { 'anyapi.idleTimeoutSeconds': 10 },
  });

  before(() => {
    records.length = 0;
  });
  after(() => writeRecords());

  it('the key is set through the password box', async () => {
    await setKey(workbench());
  });

  const faults: Fault[] = [
    { fault: 'stream cut mid-answer', question: 'Cut me off [[fake:truncated]]', sentence: /The answer was cut off/, buttons: ['Retry'], partial: 'Partial answer then cut' },
    { fault: 'stall past the idle timeout', question: 'Stall please', arrange: (wb) => wb.fake.enqueue(stallAfter(['Stalled ', 'halfway '])), sentence: /idle timeout/, buttons: ['Retry'], partial: 'Stalled halfway' },
    { fault: 'pings only', question: 'Only pings', arrange: (wb) => wb.fake.enqueue(pingsOnly, pingsOnly, pingsOnly), sentence: /idle timeout/, buttons: ['Retry'] },
    { fault: 'HTML 502', question: 'Bad gateway [[fake:error-502]]', sentence: /HTTP 502/, buttons: ['Retry'] },
    { fault: 'Cloudflare 524', question: 'Too slow [[fake:error-524]]', sentence: /HTTP 524\): the server took too long.*not sent again.*Streaming/, buttons: ['Retry'] },
    { fault: '200 text/html', question: 'A web page [[fake:html200]]', sentence: /points at a web page/, buttons: ['Open Base URL Setting'] },
    { fault: '429 with an empty body', question: 'Too many [[fake:error-429]]', sentence: /limiting the request rate \(HTTP 429\)/, buttons: ['Retry'] },
    { fault: '429 with retry-after', question: 'Wait an hour', arrange: (wb) => wb.fake.enqueue(rateLimitedForAnHour), sentence: /asks to wait 60 min/, buttons: ['Retry', 'Select Model'] },
    { fault: 'malformed JSON in an event', question: 'Garbage event', arrange: (wb) => wb.fake.enqueue(malformedEvent), sentence: /could not be read \(an event that is not valid JSON\)/, buttons: ['Retry'], partial: 'Before garbage' },
    { fault: 'a 10 MB answer', question: 'Ten megabytes [[fake:long:10000000]]', sentence: /passed 1,000,000 characters/, buttons: ['Show Log'], partial: 'This paragraph explains step 0' },
    {
      fault: 'Stop',
      question: 'Count slowly [[fake:slow]]',
      act: async (wb) => {
        await lastTurn(wb).locator('.markdown', { hasText: 'chunk 2' }).waitFor({ state: 'visible', timeout: MS });
        await chat(wb).getByRole('button', { name: 'Stop' }).click();
      },
      sentence: /Stopped/,
      partial: 'chunk 2',
    },
    { fault: 'server gone', question: 'Anyone there?', arrange: (wb) => wb.fake.pause(), restore: (wb) => wb.fake.resume(), sentence: /Could not reach 127\.0\.0\.1/, buttons: ['Retry'] },
    { fault: '401 无效的令牌', question: 'Wrong key [[fake:error-401]]', sentence: /rejected the API key/, buttons: ['Set API Key'] },
    { fault: '503 无可用渠道', question: 'No channel [[fake:error-503]]', sentence: /no channel for model .*无可用渠道/, buttons: ['Select Model'] },
  ];
  for (const fault of faults) {
    it(`${fault.fault}: a sentence with a next step, the question and the partial answer kept, the next request works`, async function () {
      this.timeout(FAULT_MS * 3);
      await playFault(workbench(), fault);
    });
  }

  it('the key occurs nowhere: logs, stored conversations, the view’s state, exports', async function () {
    this.timeout(FAULT_MS);
    const wb = workbench();
    // The last answer is saved a moment after it ends: the export and the sweep below read it from its file.
    await waitFor('the last answer is saved', MS, async () => conversationFilesWith(wb, '**Echo:** After 503').length > 0);
    // The view's state is written when the window goes away: reload, then look.
    await wb.page.reload({ waitUntil: 'domcontentloaded' });
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: FAULT_MS });
    await wb.openView('AnyAPI');
    await chat(wb).locator('section.turn').first().waitFor({ state: 'visible', timeout: 60_000 });
    const target = path.join(wb.run.workspace, 'faults-export.md');
    await wb.runCommand('AnyAPI: Export Conversation to Markdown');
    await waitFor('the save dialog proposes a Markdown file', MS, async () => (await wb.quickInputBox.inputValue().catch(() => '')).endsWith('.md'));
    await wb.quickInputBox.fill(target);
    await wb.quickInputBox.press('Enter');
    await waitFor('the export is written', MS, async () => fs.existsSync(target) && fs.statSync(target).size > 0);
    await wb.runCommand('AnyAPI: Show Log');
    await wb.page.locator('.part.panel .monaco-editor', { hasText: 'AnyAPI' }).first().waitFor({ state: 'visible', timeout: MS }).catch(() => undefined);

    const storage = await browserStorageWithKey(wb);
    const files = [...filesWith(wb.run.userDataDir), ...filesWith(wb.run.logs), ...filesWith(wb.run.workspace)];
    log(`key sweep: secret storage ${storage.secret.join(', ') || '(not in the browser)'}; elsewhere: ${[...storage.elsewhere, ...files].join(', ') || 'nowhere'}`);
    assert.deepStrictEqual(storage.elsewhere, [], 'the key is stored outside secret storage in the browser');
    assert.deepStrictEqual(files, [], 'the key is in a file (log, stored state or export)');
    assert.strictEqual(await keyShownNow(wb), 0, 'the key is shown in the workbench or the chat view');
    assert.ok(fs.readFileSync(target, 'utf8').includes('After 503 无可用渠道, a plain question'), 'the export does not hold the conversation');
    // The sweep can see what it looks for: the stored conversations and the log are where it looked.
    assert.ok(conversationFilesWith(wb, 'Cut me off').length > 0, 'the stored conversations were not found');
    assert.ok(filesWith(wb.run.userDataDir, '/v1/responses').some((file) => /AnyAPI|anyapi/.test(file)), 'the extension’s log file was not found');
  });
});

describe('Fault matrix: through an HTTP proxy, to a relay named over plain http://', () => {
  let proxy: SwitchableProxy;
  const hosts: Record<string, number> = {};
  before(async () => {
    proxy = await startSwitchableProxy(hosts);
  });
  const workbench = useWorkbench({
    extension: 'development',
    files: { '.vscode/settings.json': `{ "anyapi.model": "${MODEL}" }\n` },
    userSettings: (fake) => {
      hosts['anyapi-relay.test'] = fake.port;
      return { 'anyapi.baseUrl': `http://anyapi-relay.test:${fake.port}`, 'http.proxy': proxy.url };
    },
  });
  after(async () => {
    writeRecords();
    await proxy.close();
  });

  it('http:// to a name that is not loopback asks first, and sends nothing before the answer', async function () {
    this.timeout(FAULT_MS * 2);
    const wb = workbench();
    await setKey(wb);
    const dialog = wb.page.locator('.monaco-dialog-box');
    const question = 'Over plain http';
    await ask(wb, question);
    await dialog.waitFor({ state: 'visible', timeout: MS });
    const shown = await dialog.innerText();
    const buttons = (await dialog.getByRole('button').allInnerTexts()).map((b) => b.trim()).filter(Boolean);
    assert.match(shown, /anyapi-relay\.test:\d+ is reached over plain http:\/\//);
    assert.match(shown, /unencrypted/);
    assert.strictEqual(wb.fake.requests.length, 0, 'a request reached the server before the user answered');
    assert.strictEqual(proxy.connects.length, 0, `the proxy was asked to connect before the user answered: ${proxy.connects.join(', ')}`);
    await wb.screenshot('fault-insecure-http');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: MS });
    const turn = await answerSettled(wb);
    const alert = await turn.getByRole('alert').innerText();
    assert.strictEqual(wb.fake.requests.length, 0, 'Cancel still sent the request');
    assert.match(await turn.locator('.question-text').innerText(), /Over plain http/);

    await ask(wb, 'Over plain http, allowed');
    await dialog.waitFor({ state: 'visible', timeout: MS });
    await dialog.getByRole('button', { name: 'Send Unencrypted' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: MS });
    await answerSettled(wb);
    assert.match(await lastTurn(wb).locator('.markdown').innerText(), /Echo: Over plain http, allowed/);
    assert.ok(proxy.connects.some((target) => target.startsWith('anyapi-relay.test:')), `the request did not go through the proxy: ${proxy.connects.join(', ')}`);
    records.push({
      fault: 'http:// to a non-loopback name',
      question,
      sentence: `${shown.replace(/\s+/g, ' ').trim()} | after Cancel: ${alert.replace(/\s+/g, ' ').trim()}`,
      buttons,
      questionKept: true,
      answerKept: '',
      partialKept: null,
      nextRequestWorked: true,
      keyShown: await keyShownNow(wb),
    });
    assert.strictEqual(records.at(-1)?.keyShown, 0, 'the key is shown');
  });

  const faults: Fault[] = [
    { fault: 'proxy refusing', question: 'Proxy closed', arrange: () => proxy.pause(), restore: () => proxy.resume(), sentence: /through the proxy 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/, buttons: ['Retry', 'Open Proxy Setting'] },
    {
      fault: 'proxy hanging up after CONNECT',
      question: 'Proxy hangs up',
      arrange: () => {
        proxy.mode = 'hangUp';
        // A pooled tunnel from the last request would carry this one past the fault.
        proxy.dropConnections();
      },
      act: async (wb) => {
        // Should it still be running after a while, the person presses Stop.
        const busy = lastTurn(wb).locator('.answer[aria-busy="true"]');
        if (!(await busy.waitFor({ state: 'detached', timeout: 15_000 }).then(() => true, () => false))) {
          await chat(wb).getByRole('button', { name: 'Stop' }).click();
        }
        // New Chat is not held up by the failed run.
        await newChat(wb);
        await wb.runCommand('AnyAPI: Show Conversations');
        await wb.pickQuickPickRow('Proxy hangs up');
        await chat(wb).locator('.question-text', { hasText: 'Proxy hangs up' }).waitFor({ state: 'visible', timeout: MS });
      },
      restore: () => {
        proxy.mode = 'pass';
      },
      sentence: /closed the connection without answering CONNECT.*socks5:\/\/127\.0\.0\.1:\d+/,
      buttons: ['Open Proxy Setting'],
    },
  ];
  for (const fault of faults) {
    it(`${fault.fault}: a sentence with a next step, the question kept, the next request works`, async function () {
      this.timeout(FAULT_MS * 3);
      await playFault(workbench(), fault);
    });
  }
});
