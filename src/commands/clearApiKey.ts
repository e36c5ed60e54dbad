import * as vscode from 'vscode';
import type { Services } from '../services';

/** Removes the key after a confirmation; `{ confirm: false }` skips the question (automation). */
export async function clearApiKey(services: Services, options?: unknown): Promise<boolean> {
  if (!(await services.keyStore.has())) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No AnyAPI key is stored.'));
    return false;
  }
  const skipConfirmation = typeof options === 'object' && options !== null && (options as { confirm?: unknown }).confirm === false;
  if (!skipConfirmation) {
    const remove = vscode.l10n.t('Remove Key');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the AnyAPI key from this machine’s secret storage?'),
      { modal: true },
      remove,
    );
    if (choice !== remove) {
      return false;
    }
  }
  await services.keyStore.clear();
  void vscode.window.showInformationMessage(vscode.l10n.t('The AnyAPI key was removed.'));
  return true;
}
