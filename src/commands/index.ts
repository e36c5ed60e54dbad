import * as vscode from 'vscode';
import { Command } from '../constants';
import type { Services } from '../services';
import { registerCommand } from '../util/registerCommand';
import { PROPOSAL_SCHEME, ProposalManager } from '../selection/proposals';
import { clearApiKey } from './clearApiKey';
import { editSelection, reportOutcome } from './editSelection';
import { askAboutSelection, explainSelection } from './explainSelection';
import { openGetStarted } from './getStarted';
import { forgetModelLists, selectModel } from './selectModel';
import { setApiKey } from './setApiKey';
import { testConnection } from './testConnection';
import { writeAtCursor } from './writeAtCursor';

/** Registers every command; each handler is a boundary where failures become a logged, readable sentence. */
export function registerCommands(services: Services): void {
  const log = services.logger.forComponent('commands');
  const register = (id: Command, handler: (...args: unknown[]) => unknown): void =>
    registerCommand(services.context.subscriptions, log, id, handler);
  register(Command.SetApiKey, (key) => setApiKey(services, key));
  register(Command.ClearApiKey, (options) => clearApiKey(services, options));
  register(Command.SelectModel, (model) => selectModel(services, model));
  services.context.subscriptions.push(services.keyStore.onDidChange(forgetModelLists));
  register(Command.TestConnection, () => testConnection(services));
  register(Command.ShowLog, () => services.logger.show());
  register(Command.GetStarted, () => openGetStarted());

  const proposals = new ProposalManager();
  services.context.subscriptions.push(proposals, vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposals));
  register(Command.ExplainSelection, (args) => explainSelection(services, args));
  register(Command.AskAboutSelection, (args) => askAboutSelection(services, args));
  register(Command.EditSelection, (args) => editSelection(services, proposals, args));
  register(Command.WriteAtCursor, (args) => writeAtCursor(services, args));
  register(Command.AcceptEdit, async (uri) => {
    const id = proposals.findId(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri);
    const outcome = id ? await proposals.accept(id) : undefined;
    if (outcome) {
      reportOutcome(outcome);
    }
    return outcome;
  });
  register(Command.RejectEdit, async (uri) => {
    const id = proposals.findId(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri);
    return id ? proposals.reject(id) : undefined;
  });
}
