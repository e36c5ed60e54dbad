import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, eventually, extension, packageJson } from './helpers';

const clientBundle = `${path.sep}dist${path.sep}api.js`;
const clientBundleLoaded = (): boolean => Object.keys(require.cache).some((key) => key.endsWith(clientBundle));

describe('Activation', () => {
  it('starts after the editor has started (for the light bulb on problems), never with it', () => {
    const events = packageJson().activationEvents ?? [];
    assert.deepStrictEqual(events, ['onStartupFinished'], `activationEvents: ${events.join(', ')}`);
  });

  it('is active once the editor has started, without any of its commands having run', async () => {
    await eventually('the extension is active', () => extension().isActive, 30_000);
  });

  it('does not load the HTTP client while activating', async () => {
    const api = await activateExtension();
    assert.strictEqual(api.isClientLoaded(), false, 'the extension reports the client as loaded');
    assert.ok(!clientBundleLoaded(), 'dist/api.js is in require.cache right after activation');
  });

  it('registers every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = packageJson().contributes.commands.map((entry) => entry.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    assert.deepStrictEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed commands without a registered handler',
    );
  });
});
