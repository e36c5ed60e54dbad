import * as assert from 'assert';
import * as fs from 'fs';
import { vsixPath } from '../../scripts/harness/paths';
import { useWorkbench } from './support/workbench';

// What ships: anyapi-vscode.vsix installed with --install-extension, no smoke-test driver, notifications as toasts.
describe('The packaged .vsix in code-server', () => {
  const workbench = useWorkbench({ extension: 'vsix', theme: 'dark' });

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
});
