import * as vscode from 'vscode';
import { isSecretStorageUnavailable } from '../config/keyStore';
import type { ComponentLogger } from '../util/logger';

/**
 * Registers a command whose handler is a boundary: a failure is logged with the command id and shown as a
 * sentence. Returns the registration for its owner to dispose.
 */
export function registerCommand(log: ComponentLogger, id: string, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      log.error(`${id}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (isSecretStorageUnavailable(error)) {
        // Already a sentence with what to do.
        void vscode.window.showErrorMessage(error.message);
        return undefined;
      }
      void vscode.window.showErrorMessage(
        vscode.l10n.t('AnyAPI could not finish: {0}. The details are in the AnyAPI log.', error instanceof Error ? error.message : String(error)),
      );
      return undefined;
    }
  });
}
