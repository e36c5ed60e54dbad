import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { fakeCodeSnippet } from '../support/fakeAnswers';
import type { FakeAnyApi } from '../support/fakeAnyApi';
import { startFakeAnyApi } from '../support/fakeAnyApi';
import { activateExtension, eventually, setUserBaseUrl, uniqueKey } from './helpers';

type ChatResult = { status: string; message?: string; answer?: { state: string; text: string } };
type Attached = { label: string; chars: number; cutFrom?: number }[];
type EditResult = { status: string; message?: string; code?: string };

function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return folder.uri.fsPath;
}

function write(relative: string, content: string | Buffer): vscode.Uri {
  const file = path.join(workspaceFolder(), relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return vscode.Uri.file(file);
}

async function openAt(uri: vscode.Uri, selection = new vscode.Range(0, 0, 0, 0)): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(uri, { preview: false });
  editor.selection = new vscode.Selection(selection.start, selection.end);
  return editor;
}

function lastBody(fake: FakeAnyApi): string {
  return JSON.stringify(fake.requests[fake.requests.length - 1]?.body ?? {});
}

function lastUserMessage(fake: FakeAnyApi): string {
  const body = fake.requests[fake.requests.length - 1]?.body as { input: { role: string; content: string }[] };
  return body.input.filter((message) => message.role === 'user').pop()?.content ?? '';
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

const attach = (choice: string, uris?: vscode.Uri[]): Thenable<Attached> => vscode.commands.executeCommand<Attached>('anyapi.addContext', { choice, uris });

/** Asks a question through the chat (Ask About Selection on a small file of its own) and returns the last request's body. */
async function ask(fake: FakeAnyApi, question: string): Promise<string> {
  const other = write('ctx/ask-here.js', 'const here = 1;\n');
  await openAt(other, new vscode.Range(0, 0, 0, 15));
  const before = fake.requests.length;
  const result = await vscode.commands.executeCommand<ChatResult>('anyapi.askAboutSelection', { instruction: question });
  assert.strictEqual(result.answer?.state, 'done', result.message);
  assert.strictEqual(fake.requests.length, before + 1, 'one request per question');
  return lastBody(fake);
}

describe('Context beyond the selection', () => {
  let fake: FakeAnyApi;
  let problems: vscode.DiagnosticCollection;

  const key = uniqueKey('sk-test-context');

  before(async () => {
    await activateExtension();
    fake = await startFakeAnyApi();
    await vscode.commands.executeCommand('anyapi.setApiKey', key);
    await setUserBaseUrl(fake.url);
    problems = vscode.languages.createDiagnosticCollection('anyapi-context-test');
  });

  beforeEach(async () => {
    // A new conversation each time: no earlier turn carries an earlier test's context into the request.
    await vscode.commands.executeCommand('anyapi.newChat');
    problems.clear();
  });

  after(async () => {
    problems?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setUserBaseUrl(undefined);
    await vscode.commands.executeCommand('anyapi.clearApiKey', { confirm: false });
    await fake?.close();
  });

  describe('Explain and fix problems', () => {
    const SOURCE = ['function total(items) {', '  let sum = 0;', '  for (const item of items) {', '    sum += item.price;', '  }', '  return summ;', '}', '', 'total([]);', ''].join('\n');

    function problemIn(uri: vscode.Uri, message: string): vscode.Diagnostic {
      const diagnostic = new vscode.Diagnostic(new vscode.Range(5, 9, 5, 13), message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'lint';
      diagnostic.code = 'no-undef';
      problems.set(uri, [diagnostic]);
      return diagnostic;
    }

    async function actionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
      // VS Code cancels a code action request when the editor asks again for its own light bulb (the cursor was just
      // placed, the problems just changed); the user then sees the next one. So is it asked again here.
      for (let attempt = 1; ; attempt++) {
        try {
          const all = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
          return all.filter((action) => /AnyAPI/.test(action.title));
        } catch (error) {
          if (!(error instanceof Error && error.message === 'Canceled') || attempt === 10) throw error;
        }
      }
    }

    it('the light bulb offers Explain with AnyAPI and Fix with AnyAPI on a problem, and nothing where there is none @restricted', async () => {
      const uri = write('ctx/problem-offer.js', SOURCE);
      await openAt(uri, new vscode.Range(5, 10, 5, 10));
      problemIn(uri, "'summ' is not defined.");
      let offered: vscode.CodeAction[] = [];
      await eventually('the AnyAPI actions are offered on the problem', async () => (offered = await actionsAt(uri, new vscode.Range(5, 10, 5, 10))).length === 2);
      assert.deepStrictEqual(offered.map((action) => action.title), ['Explain with AnyAPI', 'Fix with AnyAPI']);
      assert.ok(offered.every((action) => action.kind?.value === 'quickfix'), 'they are quick fixes, so the Problems view lists them too');
      assert.deepStrictEqual(await actionsAt(uri, new vscode.Range(1, 2, 1, 2)), [], 'a line without a problem offers nothing');
    });

    it('Explain with AnyAPI sends the message, its source and code, the lines around it and the file name @restricted', async () => {
      const uri = write('ctx/problem-explain.js', SOURCE);
      await openAt(uri, new vscode.Range(5, 10, 5, 10));
      const diagnostic = problemIn(uri, "'summ' is not defined.");
      const [explain] = await actionsAt(uri, new vscode.Range(5, 10, 5, 10));
      assert.ok(explain?.command, 'Explain with AnyAPI is offered');
      const result = await vscode.commands.executeCommand<ChatResult>(explain.command.command, ...(explain.command.arguments ?? []));
      assert.strictEqual(result.answer?.state, 'done', result.message);
      const sent = lastUserMessage(fake);
      assert.ok(sent.includes("'summ' is not defined."), sent);
      assert.ok(sent.includes('lint no-undef'), sent);
      assert.ok(sent.includes('line 6'), sent);
      assert.ok(sent.includes('`ctx/problem-explain.js` (lines 3-9)'), sent);
      assert.ok(sent.includes('  return summ;') && sent.includes('    sum += item.price;') && sent.includes('total([]);'), 'three lines above and below are quoted');
      assert.ok(!sent.includes('function total(items)'), 'the quote is the lines around the problem, not the whole function');
      assert.strictEqual(occurrences(sent, diagnostic.message), 1, 'the message is sent once');
    });

    it('Explain Problem at Cursor, with nothing selected, uses the problem under the cursor', async () => {
      const uri = write('ctx/problem-cursor.js', SOURCE);
      await openAt(uri, new vscode.Range(5, 11, 5, 11));
      problemIn(uri, "'summ' is not defined (at the cursor).");
      const result = await vscode.commands.executeCommand<ChatResult>('anyapi.explainProblem');
      assert.strictEqual(result.answer?.state, 'done', result.message);
      const sent = lastUserMessage(fake);
      assert.ok(sent.includes('(at the cursor)') && sent.includes('(lines 3-9)'), sent);
    });

    it('Explain Problem at Cursor says so when there is no problem there, and sends nothing', async () => {
      const uri = write('ctx/problem-none.js', SOURCE);
      await openAt(uri, new vscode.Range(1, 2, 1, 2));
      const before = fake.requests.length;
      const result = await vscode.commands.executeCommand<ChatResult>('anyapi.explainProblem');
      assert.strictEqual(result.status, 'unavailable');
      assert.strictEqual(fake.requests.length, before);
    });

    it('Fix with AnyAPI proposes new code for the problem’s lines through the diff; Accept changes them in one undo step', async () => {
      const uri = write('ctx/problem-fix.js', SOURCE);
      const editor = await openAt(uri, new vscode.Range(5, 10, 5, 10));
      problemIn(uri, "'summ' is not defined. [[fake:code]]");
      const fix = (await actionsAt(uri, new vscode.Range(5, 10, 5, 10)))[1];
      assert.strictEqual(fix?.title, 'Fix with AnyAPI');
      assert.ok(fix.command);
      const result = await vscode.commands.executeCommand<EditResult>(fix.command.command, ...(fix.command.arguments ?? []));
      assert.strictEqual(result.status, 'proposed', result.message);
      const sent = lastUserMessage(fake);
      assert.ok(sent.includes("'summ' is not defined.") && sent.includes('lint no-undef'), sent);
      assert.ok(sent.includes('`ctx/problem-fix.js` (lines 6)'), 'the problem’s line is what is rewritten');
      assert.strictEqual(editor.document.getText(), SOURCE, 'nothing changes before Accept');
      const outcome = await vscode.commands.executeCommand<{ status: string }>('anyapi.acceptEdit');
      assert.strictEqual(outcome.status, 'accepted');
      const lines = SOURCE.split('\n');
      const expected = [...lines.slice(0, 5), ...`${fakeCodeSnippet}`.split('\n').map((line) => `  ${line}`), ...lines.slice(6)].join('\n');
      assert.strictEqual(editor.document.getText(), expected, 'only the problem’s line is replaced, indented like it');
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('undo');
      await eventually('one undo restores the file', () => editor.document.getText() === SOURCE);
    });
  });

  describe('Context chips', () => {
    it('the active file reaches the request once, stored with the turn @restricted', async () => {
      const marker = `ACTIVE_FILE_MARKER_${Date.now()}`;
      const uri = write('ctx/active.ts', `export const marker = '${marker}';\n`);
      await openAt(uri);
      const attached = await attach('activeFile');
      assert.deepStrictEqual(attached.map((item) => item.label), ['ctx/active.ts']);
      const body = await ask(fake, 'What does the attached file export?');
      assert.strictEqual(occurrences(body, marker), 1, body);
      assert.ok(body.includes('`ctx/active.ts`'), 'the file is named');
      // Taken by that question: the next one carries nothing.
      const next = await ask(fake, 'And now?');
      assert.strictEqual(occurrences(next, marker), 1, 'only as part of the earlier turn, not attached again');
    });

    it('a file picked from the workspace and open editors are attached; the same file twice is sent once @restricted', async () => {
      const markerA = `PICKED_A_${Date.now()}`;
      const markerB = `PICKED_B_${Date.now()}`;
      const a = write('ctx/picked-a.txt', `${markerA}\n`);
      const b = write('ctx/picked-b.txt', `${markerB}\n`);
      await openAt(b);
      assert.strictEqual((await attach('workspaceFile', [a])).length, 1);
      assert.strictEqual((await attach('openEditors', [b])).length, 1);
      assert.strictEqual((await attach('workspaceFile', [a])).length, 1);
      const body = await ask(fake, 'Compare the two files.');
      assert.strictEqual(occurrences(body, markerA), 1, 'picked twice, sent once');
      assert.strictEqual(occurrences(body, markerB), 1);
    });

    it('the selection, and the Problems of the file and of the workspace @restricted', async () => {
      const uri = write('ctx/selection.js', 'const first = 1;\nconst SELECTED_LINE = 2;\nconst third = 3;\n');
      await openAt(uri, new vscode.Range(1, 0, 1, 24));
      const diagnostic = new vscode.Diagnostic(new vscode.Range(2, 6, 2, 11), 'PROBLEM_MARKER unused variable', vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'lint';
      problems.set(uri, [diagnostic]);
      const selection = await attach('selection');
      assert.deepStrictEqual(selection.map((item) => item.label), ['ctx/selection.js:2']);
      const file = await attach('problemsFile');
      assert.ok(file[0]?.label.startsWith('Problems: ctx/selection.js'), file[0]?.label);
      const workspace = await attach('problemsWorkspace');
      assert.ok(workspace[0]?.label.startsWith('Problems in the workspace'), workspace[0]?.label);
      const body = await ask(fake, 'Why the warning?');
      assert.strictEqual(occurrences(body, 'const SELECTED_LINE = 2;'), 1, body);
      assert.strictEqual(occurrences(body, 'ctx/selection.js:3:7 warning (lint): PROBLEM_MARKER unused variable'), 2, 'once per Problems chip: the file’s and the workspace’s');
    });

    it('the API key in an attached file is masked before it is sent, shown or stored @restricted', async () => {
      const uri = write('ctx/leaky.env', `ANYAPI_KEY=${key}\nOTHER=1\n`);
      try {
        const [item] = await attach('workspaceFile', [uri]);
        assert.ok(item, 'the file is attached');
        const body = await ask(fake, 'What is in the env file?');
        assert.ok(!body.includes(key), 'the key went to the server inside the context');
        assert.ok(body.includes('ANYAPI_KEY=sk-…') && body.includes('OTHER=1'), body);
      } finally {
        fs.rmSync(uri.fsPath, { force: true });
      }
    });

    it('a large file is cut at a stated size, with a note in the request', async () => {
      const big = 'x'.repeat(100) + '\n';
      const uri = write('ctx/large.txt', big.repeat(600));
      const [item] = await attach('workspaceFile', [uri]);
      assert.strictEqual(item?.cutFrom, 60_600);
      assert.strictEqual(item?.chars, 40_000);
      const body = await ask(fake, 'Summarise the large file.');
      assert.ok(body.includes('`ctx/large.txt` (cut to 40000 of its 60600 characters)'), 'the model is told it was cut');
    });

    it('refuses a file outside the workspace, a binary file and a git-ignored one, attaching nothing @restricted', async () => {
      const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-outside-')), 'secret.txt');
      fs.writeFileSync(outside, 'OUTSIDE_MARKER\n');
      const binary = write('ctx/image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
      assert.deepStrictEqual(await attach('workspaceFile', [vscode.Uri.file(outside)]), []);
      assert.deepStrictEqual(await attach('workspaceFile', [binary]), []);
      await openAt(vscode.Uri.file(outside));
      assert.deepStrictEqual(await attach('activeFile'), [], 'an open editor outside the workspace is refused too');
      const body = await ask(fake, 'Anything attached?');
      assert.ok(!body.includes('OUTSIDE_MARKER') && !body.includes('Context attached'), body);
    });

    it('the terminal’s selected text, leaving the clipboard as it was', async function () {
      const marker = `TERMINAL_MARKER_${Date.now()}`;
      const terminal = vscode.window.createTerminal({ name: 'anyapi-context', shellPath: '/bin/sh' });
      try {
        terminal.show();
        terminal.sendText(`echo ${marker}`);
        const clipboard = vscode.env.clipboard;
        let selected = '';
        await eventually('the terminal shows the marker', async () => {
          await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
          await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
          selected = await clipboard.readText();
          return occurrences(selected, marker) === 2;
        }, 20_000);
        await clipboard.writeText('what the user had copied');
        const [item] = await attach('terminalSelection');
        assert.strictEqual(item?.label, 'Terminal selection: anyapi-context');
        assert.strictEqual(await clipboard.readText(), 'what the user had copied');
        const body = await ask(fake, 'What did the terminal print?');
        // The selection holds the command line and what it printed: both, once each.
        assert.strictEqual(occurrences(body, marker), 2, body);
      } finally {
        terminal.dispose();
      }
    });

    it('Explain with AnyAPI in the terminal sends the selected text', async () => {
      const marker = `TERMINAL_EXPLAIN_${Date.now()}`;
      const terminal = vscode.window.createTerminal({ name: 'anyapi-explain', shellPath: '/bin/sh' });
      try {
        terminal.show();
        terminal.sendText(`echo ${marker}`);
        await eventually('the terminal shows the marker', async () => {
          await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
          await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
          return (await vscode.env.clipboard.readText()).includes(marker);
        }, 20_000);
        const result = await vscode.commands.executeCommand<ChatResult>('anyapi.explainTerminalSelection');
        assert.strictEqual(result.answer?.state, 'done', result.message);
        const sent = lastUserMessage(fake);
        assert.ok(sent.includes('output from the terminal `anyapi-explain`') && sent.includes(marker), sent);
        await vscode.commands.executeCommand('workbench.action.terminal.clearSelection');
      } finally {
        terminal.dispose();
      }
    });

    it('the last terminal command and its output, where the terminal has shell integration', async function () {
      type ShellIntegration = { executeCommand(commandLine: string): unknown };
      type ShellWindow = { onDidEndTerminalShellExecution?: vscode.Event<{ terminal: vscode.Terminal; exitCode: number | undefined }> };
      const shellWindow = vscode.window as unknown as ShellWindow;
      if (!shellWindow.onDidEndTerminalShellExecution) {
        // VS Code before 1.93: no shell integration API. The chip is refused with a sentence, and nothing is attached.
        assert.deepStrictEqual(await attach('terminalCommand'), []);
        return;
      }
      const marker = `LAST_COMMAND_${Date.now()}`;
      const terminal = vscode.window.createTerminal({ name: 'anyapi-shell', shellPath: '/bin/bash' });
      try {
        terminal.show();
        const integration = () => (terminal as unknown as { shellIntegration?: ShellIntegration }).shellIntegration;
        await eventually('bash has shell integration', () => integration() !== undefined, 30_000);
        const ended = new Promise<number | undefined>((resolve) => {
          const listener = shellWindow.onDidEndTerminalShellExecution?.((event) => {
            if (event.terminal === terminal) {
              listener?.dispose();
              resolve(event.exitCode);
            }
          });
        });
        integration()?.executeCommand(`echo ${marker}-output; false`);
        // VS Code does not always learn the exit code (1.90 now and then misses it); the chip says what it was told.
        const exitCode = await ended;
        const [item] = await attach('terminalCommand');
        assert.ok(item?.label.startsWith(`Terminal: echo ${marker}`), item?.label);
        const body = await ask(fake, 'Why did it fail?');
        assert.ok(body.includes(`${marker}-output`), 'the output is sent');
        if (exitCode === undefined) assert.ok(!body.includes('[exit code'), 'no exit code is made up');
        else assert.ok(body.includes(`[exit code ${exitCode}]`), 'and how it exited');
      } finally {
        terminal.dispose();
      }
    });

    it('working-tree and staged git changes, through the git extension', async function () {
      const repo = path.join(workspaceFolder(), 'ctx-repo');
      fs.rmSync(repo, { recursive: true, force: true });
      fs.mkdirSync(repo, { recursive: true });
      const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
      try {
        git('init', '-q');
        git('config', 'user.email', 'test@example.com');
        git('config', 'user.name', 'Test');
        fs.writeFileSync(path.join(repo, 'tracked.txt'), 'one\n');
        fs.writeFileSync(path.join(repo, 'staged.txt'), 'two\n');
        fs.writeFileSync(path.join(repo, '.gitignore'), 'ignored.env\n');
        git('add', '.');
        git('commit', '-qm', 'start');
      } catch (error) {
        // Git itself is a prerequisite of the tests' machine; without it this is not a test of the extension.
        assert.fail(`git could not make a repository: ${String(error)}`);
      }
      fs.writeFileSync(path.join(repo, 'tracked.txt'), 'one\nWORKING_TREE_MARKER\n');
      fs.writeFileSync(path.join(repo, 'staged.txt'), 'two\nSTAGED_MARKER\n');
      git('add', 'staged.txt');
      fs.writeFileSync(path.join(repo, 'ignored.env'), 'IGNORED_MARKER=1\n');

      await vscode.workspace.getConfiguration('git').update('enabled', true, vscode.ConfigurationTarget.Global);
      try {
        type GitApi = { openRepository(uri: vscode.Uri): Promise<unknown>; getRepository(uri: vscode.Uri): unknown };
        const gitExtension = await vscode.extensions.getExtension<{ enabled: boolean; getAPI(v: 1): GitApi }>('vscode.git')?.activate();
        assert.ok(gitExtension, 'the built-in git extension is there');
        await eventually('git is enabled and has the repository open', async () => {
          if (!gitExtension.enabled) return false;
          const gitApi = gitExtension.getAPI(1);
          await gitApi.openRepository(vscode.Uri.file(repo)).then(undefined, () => undefined);
          return gitApi.getRepository(vscode.Uri.file(path.join(repo, 'tracked.txt'))) !== null;
        }, 30_000);
        await openAt(vscode.Uri.file(path.join(repo, 'tracked.txt')));
        const working = await attach('changes');
        assert.deepStrictEqual(working.map((item) => item.label), ['Working-tree changes: ctx-repo']);
        const staged = await attach('stagedChanges');
        assert.deepStrictEqual(staged.map((item) => item.label), ['Staged changes: ctx-repo']);
        assert.deepStrictEqual(await attach('workspaceFile', [vscode.Uri.file(path.join(repo, 'ignored.env'))]), [], 'a git-ignored file is refused');
        const body = await ask(fake, 'Review my changes.');
        assert.strictEqual(occurrences(body, '+WORKING_TREE_MARKER'), 1, body);
        assert.strictEqual(occurrences(body, '+STAGED_MARKER'), 1, body);
        assert.ok(!body.includes('IGNORED_MARKER'), body);
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.workspace.getConfiguration('git').update('enabled', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });
});
