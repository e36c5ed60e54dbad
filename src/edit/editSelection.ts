/** Edit Selection…: the model's code for the selection, proposed as a diff with Accept and Reject. */
import * as vscode from 'vscode';
import { Command } from '../constants';
import type { Services } from '../services';
import type { CodeTarget } from '../selection/codeTarget';
import { keepUnapplied } from '../selection/keepAnswer';
import { askInstruction } from '../selection/preflight';
import { prepareSelection } from '../selection/prepareSelection';
import { promptFor } from '../selection/promptValues';
import { requestCode } from '../selection/requestCode';
import type { ProposalManager, ProposalOutcome } from './proposals';
import { TrackedSpan } from './trackedSpan';

export type EditSelectionResult =
  | { readonly status: 'proposed'; readonly id: string; readonly code: string }
  | { readonly status: 'cancelled' | 'failed' | 'unavailable'; readonly message?: string };

/**
 * Edit Selection…: an instruction, then the model's code as a diff against the selection with Accept and Reject.
 * Accepting replaces the selection in one undo step (see ProposalManager).
 */
export async function editSelection(services: Services, proposals: ProposalManager, rawArgs?: unknown): Promise<EditSelectionResult> {
  const prepared = await prepareSelection(services, rawArgs, {
    writable: true,
    code: { noCodeMessage: vscode.l10n.t('Select the code to edit first.') },
    instruction: (target, args) =>
      askInstruction(
        args,
        vscode.l10n.t('AnyAPI: Edit {0} (lines {1}-{2})', target.fileLabel, target.startLine, target.endLine),
        vscode.l10n.t('How should the code change? e.g. “add error handling”, “convert to async/await”'),
      ),
  });
  if (prepared.status !== 'ready') {
    return prepared;
  }
  const { target } = prepared;
  return requestCode<EditSelectionResult>(services, prepared, {
    command: Command.EditSelection,
    component: 'editSelection',
    title: vscode.l10n.t('AnyAPI is editing {0}', target.fileLabel),
    prompt: promptFor('edit', target, { question: prepared.instruction }),
    // Follow the code while the model works, so the proposal is made for where it is when the answer arrives.
    follow: (document, range) => new TrackedSpan(document, range),
    cutShortMessage: (reason) =>
      vscode.l10n.t(
        'The answer was cut short ({0}), so it was not proposed as an edit; what arrived is open in a new editor. Raise anyapi.maxOutputTokens or select less code.',
        reason,
      ),
    noCodeMessage: vscode.l10n.t('The model answered without any code, so nothing was proposed; its answer is open in a new editor.'),
    apply: async (code, range, log) => {
      const endedCode = keepFinalNewline(code, target);
      if (!range || target.document.isClosed) {
        const message = vscode.l10n.t(
          'The code in {0} changed while the edit was being prepared, so nothing was proposed; the new code is open in a new editor.',
          target.fileLabel,
        );
        await keepUnapplied(endedCode, target.languageId, message);
        return { status: 'failed', message };
      }
      const id = await proposals.propose(target.document, range, endedCode, target.fileLabel);
      log.info(`Proposed an edit of ${target.fileLabel} lines ${target.startLine}-${target.endLine} (${endedCode.length} chars).`);
      void offerDecision(proposals, id, target.fileLabel);
      return { status: 'proposed', id, code: endedCode };
    },
  });
}

/** The new code ends with a line break when the selected code did, in the document's own line ending. */
function keepFinalNewline(code: string, target: CodeTarget): string {
  if (/\r?\n$/.test(target.code) && !/\n$/.test(code)) {
    return code + (target.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
  }
  return code;
}

async function offerDecision(proposals: ProposalManager, id: string, fileLabel: string): Promise<void> {
  const accept = vscode.l10n.t('Accept');
  const reject = vscode.l10n.t('Reject');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Review the proposed edit of {0}, then accept or reject it.', fileLabel),
    accept,
    reject,
  );
  if (!proposals.has(id)) {
    return;
  }
  if (choice === accept) {
    reportOutcome(await proposals.accept(id));
  } else if (choice === reject) {
    await proposals.reject(id);
  }
}

export function reportOutcome(outcome: ProposalOutcome): void {
  if (outcome.status === 'refused') {
    void vscode.window.showWarningMessage(outcome.message);
  }
}
