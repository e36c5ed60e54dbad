import * as vscode from 'vscode';
import { CONFIG_SECTION, SECRET_API_KEY, Setting } from '../constants';
import type { ComponentLogger, Logger } from '../util/logger';

/**
 * VS Code's secret storage could not be used (on Linux without a keyring, reading it throws). The message says what
 * to do; the original error goes to the log.
 */
export class SecretStorageUnavailableError extends Error {
  override readonly name = 'SecretStorageUnavailableError';

  constructor(readonly cause: unknown) {
    super(secretStorageUnavailableSentence());
  }
}

export function secretStorageUnavailableSentence(): string {
  return vscode.l10n.t(
    'VS Code’s secret storage is not available, so the AnyAPI key cannot be read or stored. On Linux, install and unlock a keyring (such as GNOME Keyring or KWallet), or start VS Code with --password-store=basic (“Preferences: Configure Runtime Arguments”), then reload the window.',
  );
}

export function isSecretStorageUnavailable(error: unknown): error is SecretStorageUnavailableError {
  return error instanceof Error && error.name === 'SecretStorageUnavailableError';
}

/** The API key lives here and nowhere else: VS Code SecretStorage, under one name. */
export class KeyStore implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;
  private readonly log: ComponentLogger;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: Logger,
  ) {
    this.log = logger.forComponent('key');
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_API_KEY) {
        this.changeEmitter.fire();
        void this.publishContext();
      }
    });
    void this.publishContext();
  }

  /** `anyapi.hasApiKey` for `when` clauses and the walkthrough's "key is set" step. */
  private async publishContext(): Promise<void> {
    try {
      await vscode.commands.executeCommand('setContext', 'anyapi.hasApiKey', await this.has());
    } catch (error) {
      // SecretStorage can fail (no keyring on some Linux desktops); the commands report it when the key is needed.
      this.log.warn(`Could not read the key store: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Throws SecretStorageUnavailableError when the secret storage itself fails. */
  async get(): Promise<string | undefined> {
    const key = (await this.guard('read', () => this.secrets.get(SECRET_API_KEY)))?.trim();
    this.logger.addSecret(key);
    return key || undefined;
  }

  private async guard<T>(what: string, run: () => Thenable<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.log.error(`Could not ${what} the key in secret storage: ${error instanceof Error ? error.message : String(error)}`);
      throw new SecretStorageUnavailableError(error);
    }
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) {
      throw new Error(vscode.l10n.t('An empty API key cannot be stored.'));
    }
    this.logger.addSecret(trimmed);
    await this.guard('store', () => this.secrets.store(SECRET_API_KEY, trimmed));
    this.log.info('API key stored in SecretStorage.');
  }

  async clear(): Promise<void> {
    await this.guard('delete', () => this.secrets.delete(SECRET_API_KEY));
    this.log.info('API key removed from SecretStorage.');
  }

  /**
   * Other extensions taught users to put the key in settings. Offers to move such a key into SecretStorage and
   * removes it from every settings file it was found in.
   */
  async offerMoveFromSettings(): Promise<void> {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION, null);
    const inspected = config.inspect<string>(Setting.LegacyApiKey);
    const found: { value: string; target: vscode.ConfigurationTarget }[] = [];
    if (inspected?.globalValue?.trim()) {
      found.push({ value: inspected.globalValue.trim(), target: vscode.ConfigurationTarget.Global });
    }
    if (inspected?.workspaceValue?.trim()) {
      found.push({ value: inspected.workspaceValue.trim(), target: vscode.ConfigurationTarget.Workspace });
    }
    if (inspected?.workspaceFolderValue?.trim()) {
      found.push({ value: inspected.workspaceFolderValue.trim(), target: vscode.ConfigurationTarget.WorkspaceFolder });
    }
    if (found.length === 0) {
      return;
    }
    for (const { value } of found) {
      this.logger.addSecret(value);
    }
    // Only the user's own settings hold the user's key: a key in a workspace's settings (trusted or not) came with
    // the repository, and moving it would plant the repository's key in the user's secret storage.
    const stored = await this.get();
    const movable = found.filter((entry) => entry.target === vscode.ConfigurationTarget.Global);
    const remove = async (): Promise<void> => {
      for (const { target } of found) {
        await config.update(Setting.LegacyApiKey, undefined, target);
      }
    };
    if (stored || movable.length === 0) {
      const removeLabel = vscode.l10n.t('Remove from Settings');
      const choice = await vscode.window.showWarningMessage(
        stored
          ? vscode.l10n.t('An AnyAPI key is in your settings (anyapi.apiKey), where it can leak; the key in secret storage is the one used. Remove it from settings?')
          : vscode.l10n.t('This workspace puts an AnyAPI key in its settings (anyapi.apiKey). It is not used: your key stays your own. Remove it from the settings?'),
        removeLabel,
        vscode.l10n.t('Not Now'),
      );
      if (choice === removeLabel) {
        await remove();
        this.log.info(`Removed the API key from ${found.length} settings location(s).`);
      }
      return;
    }
    const move = vscode.l10n.t('Move to Secret Storage');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'An AnyAPI key was found in your settings (anyapi.apiKey), where it can leak through synced or shared settings files. Move it into VS Code\'s secret storage and remove it from settings?',
      ),
      move,
      vscode.l10n.t('Not Now'),
    );
    if (choice !== move) {
      return;
    }
    const preferred = movable.find((entry) => entry.target === vscode.ConfigurationTarget.Global) ?? movable[0];
    await this.set(preferred.value);
    await remove();
    this.log.info(`Moved the API key from ${found.length} settings location(s) into SecretStorage.`);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('The AnyAPI key is now in secret storage and was removed from your settings.'),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
