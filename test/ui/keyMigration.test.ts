import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { waitFor } from '../../scripts/harness/proc';
import { useWorkbench } from './support/workbench';

const KEY = 'sk-test-left-in-settings-9876';

// A habit from other extensions: the key in settings.json. It is offered a move into secret storage.
describe('A key found in settings is moved into secret storage (development build)', () => {
  const workbench = useWorkbench({
    extension: 'development',
    files: { '.vscode/settings.json': JSON.stringify({ 'anyapi.apiKey': KEY }, null, 2) },
  });

  it('offers the move, removes the key from settings.json, and the moved key works', async () => {
    const wb = workbench();
    await wb.runCommand('AnyAPI: Show Log');
    const offer = await wb.notification(/An AnyAPI key was found in your settings/);
    await offer.getByRole('button', { name: 'Move to Secret Storage' }).click();
    const settingsFile = path.join(wb.run.workspace, '.vscode', 'settings.json');
    await waitFor('the key is gone from .vscode/settings.json', 30_000, async () => !fs.readFileSync(settingsFile, 'utf8').includes(KEY));

    await wb.clearNotifications();
    await wb.runCommand('AnyAPI: Test Connection');
    const result = await wb.notification(/Connected to/);
    const text = await result.innerText();
    assert.match(text, /9876/);
    assert.ok(!text.includes(KEY), 'the notification shows the whole key');
    assert.ok(wb.fake.requests.some((request) => request.keyValid), 'the moved key reached the server');
  });
});
