import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, eventually, extension, packageJson } from './helpers';

const bundleLoaded = (name: string): boolean => Object.keys(require.cache).some((key) => key.endsWith(`${path.sep}dist${path.sep}${name}`));

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
    assert.ok(!bundleLoaded('api.js'), 'dist/api.js is in require.cache right after activation');
  });

  it('leaves the features to their own bundle until a command runs', async () => {
    const api = await activateExtension();
    assert.strictEqual(api.areFeaturesLoaded(), false, 'the extension reports its features as loaded');
    assert.ok(!bundleLoaded('features.js'), 'dist/features.js is in require.cache right after activation');
  });

  it('keeps every command when its features fail to load (missing, or failing partway), and loads them on the next run', async () => {
    const api = await activateExtension();
    assert.ok(api.breakFeatures, 'the extension in test mode offers breakFeatures');
    const contributed = packageJson().contributes.commands.map((entry) => entry.command);
    const unregistered = async (): Promise<string[]> => {
      const registered = new Set(await vscode.commands.getCommands(true));
      return contributed.filter((id) => !registered.has(id));
    };
    try {
      for (const how of ['missing', 'partway'] as const) {
        api.breakFeatures(how);
        // The stand-in says so itself and resolves, rather than leaving VS Code to report a failed command.
        assert.strictEqual(await vscode.commands.executeCommand('anyapi.showLog'), undefined, how);
        assert.strictEqual(api.areFeaturesLoaded(), false, `${how}: the extension reports its features as loaded`);
        assert.deepStrictEqual(await unregistered(), [], `${how}: commands without a handler after the failed load`);
      }
    } finally {
      api.breakFeatures(undefined);
      // Each failed load put up its sentence.
      await vscode.commands.executeCommand('notifications.clearAll');
    }
    // The first run after that loads them, and its stand-in hands the command on to them (a missing handler rejects).
    await vscode.commands.executeCommand('anyapi.showLog');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    assert.strictEqual(api.areFeaturesLoaded(), true, 'running a command did not load the features');
    assert.ok(bundleLoaded('features.js'), 'dist/features.js is not in require.cache after a command ran');
    assert.deepStrictEqual(await unregistered(), [], 'commands without a handler once the features loaded');
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
