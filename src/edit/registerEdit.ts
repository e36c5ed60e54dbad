import * as vscode from 'vscode';
import { registerCommand } from '../commands/registerCommand';
import { Command } from '../constants';
import type { Services } from '../services';
import { fixProblemInstruction, problemArgs, problemOrSay } from '../selection/problems';
import { DisposableStore } from '../util/disposables';
import { editSelection, reportOutcome } from './editSelection';
import { PROPOSAL_SCHEME, ProposalManager } from './proposals';

/** The edit flow: Edit Selection…, its proposals shown as a diff, and Accept / Reject. */
export function registerEditCommands(services: Services): vscode.Disposable {
  const store = new DisposableStore();
  const log = services.logger.forComponent('commands');
  const proposals = store.add(new ProposalManager());
  store.add(vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposals));
  const proposalFor = (uri: unknown): string | undefined =>
    proposals.findId(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri);
  store.add(registerCommand(log, Command.EditSelection, (args) => editSelection(services, proposals, args)));
  // Fix with AnyAPI: the problem's lines, rewritten through the same diff, Accept or Reject.
  store.add(
    registerCommand(log, Command.FixProblem, async (uri, diagnostic) => {
      const problem = problemOrSay(uri, diagnostic);
      return problem ? editSelection(services, proposals, await problemArgs(problem, fixProblemInstruction(problem.diagnostic), 0)) : { status: 'unavailable' };
    }),
  );
  store.add(
    registerCommand(log, Command.AcceptEdit, async (uri) => {
      const id = proposalFor(uri);
      const outcome = id ? await proposals.accept(id) : undefined;
      if (outcome) {
        reportOutcome(outcome);
      }
      return outcome;
    }),
  );
  store.add(
    registerCommand(log, Command.RejectEdit, async (uri) => {
      const id = proposalFor(uri);
      return id ? proposals.reject(id) : undefined;
    }),
  );
  return store;
}
