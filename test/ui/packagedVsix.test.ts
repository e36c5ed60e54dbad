import * as assert from 'assert';
import * as fs from 'fs';
import { vsixPath } from '../../scripts/harness/paths';
import { useWorkbench } from './support/workbench';

// What ships: anyapi-vscode.vsix installed with --install-extension, no smoke-test driver, notifications as toasts.
describe('The packaged .vsix in code-server', () => {
  // A keybinding (or another extension) that runs Set API Key with a key of its own as the argument.
  const SWAPPED = 'sk-test-swapped-in-0000';
  const workbench = useWorkbench({
    extension: 'vsix',
    theme: 'dark',
    keybindings: [{ key: 'ctrl+alt+shift+9', command: 'anyapi.setApiKey', args: SWAPPED }],
  });

  it('is under 1 MB', () => {
    const bytes = fs.statSync(vsixPath).size;
    assert.ok(bytes < 1024 * 1024, `anyapi-vscode.vsix is ${bytes} bytes`);
  });

  it('is listed in the command palette and stores a key', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Set API Key');
    await wb.answerInputBox('sk-test-vsix-7731', { password: true });
    await wb.notification(/key is saved in secret storage/);
  });

  it('reaches the server with Test Connection', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Test Connection');
    const toast = await wb.notification(/Connected to/);
    const text = await toast.innerText();
    assert.match(text, /HTTP 200/);
    assert.ok(!text.includes('sk-test-vsix-7731'), 'the toast shows the whole key');
    await wb.notificationGone('Testing the connection');
    await wb.screenshot('vsix-test-connection');
  });

  it('never stores a key passed as a command argument without asking: the password box opens instead', async () => {
    const wb = workbench();
    await wb.openPalette();
    await wb.page.keyboard.press('Escape');
    await wb.quickInput.waitFor({ state: 'hidden', timeout: 30_000 });
    await wb.page.keyboard.press('Control+Alt+Shift+9');
    await wb.quickInputBox.waitFor({ state: 'visible', timeout: 30_000 });
    assert.strictEqual(await wb.quickInputBox.getAttribute('type'), 'password', 'Set API Key did not ask for the key');
    assert.strictEqual(await wb.quickInputBox.inputValue(), '', 'the argument was put into the box');
    await wb.page.keyboard.press('Escape');
    await wb.quickInput.waitFor({ state: 'hidden', timeout: 30_000 });
    await wb.clearNotifications();
    await wb.runCommand('AnyAPI: Test Connection');
    const text = await (await wb.notification(/Connected to/)).innerText();
    assert.match(text, /7731/, `the stored key changed: ${text}`);
    assert.ok(!text.includes('0000'), text);
  });
});
