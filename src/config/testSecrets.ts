// The extension's own integration tests need a secret storage that fails as it does on Linux without a keyring.
// Only the extension in test mode (ExtensionMode.Test) is given this wrapper; it is never used otherwise.
import type * as vscode from 'vscode';

export class FailableSecretStorage implements vscode.SecretStorage {
  failing = false;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  get onDidChange(): vscode.Event<vscode.SecretStorageChangeEvent> {
    return this.secrets.onDidChange;
  }

  get(key: string): Thenable<string | undefined> {
    return this.failing ? Promise.reject(new Error('Cannot get password: no keyring (simulated)')) : this.secrets.get(key);
  }

  store(key: string, value: string): Thenable<void> {
    return this.failing ? Promise.reject(new Error('Cannot store password: no keyring (simulated)')) : this.secrets.store(key, value);
  }

  delete(key: string): Thenable<void> {
    return this.failing ? Promise.reject(new Error('Cannot delete password: no keyring (simulated)')) : this.secrets.delete(key);
  }
}
