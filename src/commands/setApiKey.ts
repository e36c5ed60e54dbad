import * as vscode from 'vscode';
import { Command } from '../constants';
import type { Services } from '../services';
import { strangeKeyCharacters } from '../api/keyFormat';

/** Why a typed key cannot be stored, or undefined when it can. */
function keyInputProblem(value: string): string | undefined {
  const key = value.trim();
  if (!key) return vscode.l10n.t('The key cannot be empty.');
  const strange = strangeKeyCharacters(key);
  if (strange > 0) {
    return vscode.l10n.t(
      'The key holds characters a key cannot have (invisible, space or non-ASCII: {0}), often pasted along with it. Copy the key again from the AnyAPI console.',
      strange,
    );
  }
  return undefined;
}

/**
 * Asks for the key in a password box and stores it in SecretStorage. A string argument is taken only by the
 * extension's own tests: any other extension could otherwise swap the user's key for its own and read the prompts.
 */
export async function setApiKey(services: Services, keyArgument?: unknown): Promise<boolean> {
  const testMode = services.context.extensionMode === vscode.ExtensionMode.Test;
  let key = testMode && typeof keyArgument === 'string' ? keyArgument.trim() : undefined;
  if (key === undefined) {
    key = (
      await vscode.window.showInputBox({
        title: vscode.l10n.t('AnyAPI: Set API Key'),
        prompt: vscode.l10n.t('Paste your AnyAPI key. It is kept in VS Code’s secret storage, never in settings.'),
        placeHolder: 'sk-…',
        password: true,
        ignoreFocusOut: true,
        validateInput: keyInputProblem,
      })
    )?.trim();
  }
  if (!key) {
    if (key === '') {
      void vscode.window.showWarningMessage(vscode.l10n.t('The key cannot be empty. Nothing was stored.'));
    }
    return false;
  }
  const problem = keyInputProblem(key);
  if (problem) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} Nothing was stored.', problem));
    return false;
  }
  await services.keyStore.set(key);
  const test = vscode.l10n.t('Test Connection');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('The AnyAPI key is saved in secret storage.'), test)
    .then((choice) => (choice === test ? vscode.commands.executeCommand(Command.TestConnection) : undefined));
  return true;
}
