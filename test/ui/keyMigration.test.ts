import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { waitFor } from '../../scripts/harness/proc';
import { settingsFiles } from '../../scripts/harness/runFolder';
import { useWorkbench } from './support/workbench';

const KEY = 'sk-test-left-in-settings-9876';
const PLANTED = 'sk-test-planted-by-a-repo-5555';

// A habit from other extensions: the key in the user's settings.json. It is offered a move into secret storage.
describe('A key found in the user settings is moved into secret storage (development build)', () => {
  const workbench = useWorkbench({ extension: 'development', userSettings: { 'anyapi.apiKey': KEY } });

  it('offers the move, removes the key from settings.json, and the moved key works', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Show Log');
    const offer = await wb.notification(/An AnyAPI key was found in your settings/);
    await offer.getByRole('button', { name: 'Move to Secret Storage' }).click();
    const settingsFile = settingsFiles(wb.run).user;
    await waitFor('the key is gone from the user settings.json', 30_000, async () => !fs.readFileSync(settingsFile, 'utf8').includes(KEY));

    await wb.clearNotifications();
    await wb.runCommand('AnyAPI: Test Connection');
    const result = await wb.notification(/Connected to/);
    const text = await result.innerText();
    assert.match(text, /9876/);
    assert.ok(!text.includes(KEY), 'the notification shows the whole key');
    assert.ok(wb.fake.requests.some((request) => request.keyValid), 'the moved key reached the server');
  });
});

// A cloned repository's .vscode/settings.json with a key: moving it would plant the repository's key as the user's.
describe('A key in a workspace’s settings is never moved into secret storage (development build)', () => {
  const workbench = useWorkbench({
    extension: 'development',
    files: { '.vscode/settings.json': JSON.stringify({ 'anyapi.apiKey': PLANTED }, null, 2) },
  });

  it('is only offered for removal, and removing it leaves no key stored', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Show Log');
    const offer = await wb.notification(/This workspace puts an AnyAPI key in its settings/);
    assert.strictEqual(await offer.getByRole('button', { name: 'Move to Secret Storage' }).count(), 0, 'the workspace key is offered a move');
    await offer.getByRole('button', { name: 'Remove from Settings' }).click();
    const settingsFile = path.join(wb.run.workspace, '.vscode', 'settings.json');
    await waitFor('the key is gone from .vscode/settings.json', 30_000, async () => !fs.readFileSync(settingsFile, 'utf8').includes(PLANTED));

    await wb.clearNotifications();
    const before = wb.fake.requests.length;
    await wb.runCommand('AnyAPI: Test Connection');
    await wb.notification(/No AnyAPI key is set, so nothing was sent/);
    assert.strictEqual(wb.fake.requests.length, before, 'a request went out with the repository’s key');
  });
});
