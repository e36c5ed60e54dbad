import type * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { Command } from '../constants';
import type { Services } from '../services';
import { parseAddContextArgs } from '../attachments/picker';
import { DisposableStore } from '../util/disposables';
import { clearApiKey } from './clearApiKey';
import { askAboutSelection, explainProblem, explainSelection } from './explainSelection';
import { explainTerminalSelection } from './explainTerminal';
import { openGetStarted } from './getStarted';
import { registerCommand } from './registerCommand';
import { forgetModelLists, selectModel } from './selectModel';
import { setApiKey } from './setApiKey';
import { testConnection } from './testConnection';
import { writeAtCursor } from './writeAtCursor';

/** Registers the commands (the edit flow's are in edit/); each handler is a boundary for failures. */
export function registerCommands(services: Services, chat: ChatController): vscode.Disposable {
  const store = new DisposableStore();
  const log = services.logger.forComponent('commands');
  const register = (id: Command, handler: (...args: unknown[]) => unknown): void => void store.add(registerCommand(log, id, handler));
  register(Command.SetApiKey, (key) => setApiKey(services, key));
  register(Command.ClearApiKey, (options) => clearApiKey(services, options));
  register(Command.SelectModel, (model) => selectModel(services, model));
  store.add(services.keyStore.onDidChange(forgetModelLists));
  register(Command.TestConnection, () => testConnection(services));
  register(Command.ShowLog, () => services.logger.show());
  register(Command.GetStarted, () => openGetStarted());
  register(Command.ExplainSelection, (args) => explainSelection(services, chat, args));
  register(Command.AskAboutSelection, (args) => askAboutSelection(services, chat, args));
  register(Command.WriteAtCursor, (args) => writeAtCursor(services, args));
  register(Command.ExplainProblem, (uri, diagnostic) => explainProblem(services, chat, uri, diagnostic));
  register(Command.AddContext, (args) => chat.addContext(parseAddContextArgs(args)));
  register(Command.ExplainTerminalSelection, () => explainTerminalSelection(services, chat));
  return store;
}
