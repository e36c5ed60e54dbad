import * as vscode from 'vscode';
import { Command } from '../constants';
import type { Services } from '../services';
import { clearApiKey } from './clearApiKey';
import { selectModel } from './selectModel';
import { setApiKey } from './setApiKey';
import { testConnection } from './testConnection';

/** Registers every command; each handler is a boundary where failures become a logged, readable sentence. */
export function registerCommands(services: Services): void {
  const log = services.logger.forComponent('commands');
  const register = (id: Command, handler: (...args: unknown[]) => unknown): void => {
    services.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          log.error(error);
          void vscode.window.showErrorMessage(
            vscode.l10n.t('AnyAPI: {0} failed: {1}', id, error instanceof Error ? error.message : String(error)),
          );
          return undefined;
        }
      }),
    );
  };
  register(Command.SetApiKey, (key) => setApiKey(services, key));
  register(Command.ClearApiKey, (options) => clearApiKey(services, options));
  register(Command.SelectModel, (model) => selectModel(services, model));
  register(Command.TestConnection, () => testConnection(services));
  register(Command.ShowLog, () => services.logger.show());
}
