/** Edit Selection…: the model's code for the selection, proposed as a diff with Accept and Reject. */
import * as vscode from 'vscode';
import { Command } from '../constants';
import type { Services } from '../services';
import type { ExtractedCode } from '../prompts/answerCode';
import { keepUnapplied } from '../selection/keepAnswer';
import { askInstruction } from '../selection/preflight';
import { prepareSelection } from '../selection/prepareSelection';
import { promptFor } from '../selection/promptValues';
import type { AnswerTaken } from '../selection/requestCode';
import { openAnswerLabel, openWholeAnswer, requestCode } from '../selection/requestCode';
import { fitToSelection } from '../selection/placement';
import type { ProposalManager, ProposalOutcome } from './proposals';
import { TrackedSpan } from './trackedSpan';

export type EditSelectionResult =
  | {
      readonly status: 'proposed';
      readonly id: string;
      readonly code: string;
      /** Which fenced block of the answer was proposed. */
      readonly block: ExtractedCode;
      /** What the notice asking to accept or reject said. */
      readonly message: string;
    }
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
    apply: async (code, range, log, answer) => {
      const { document } = target;
      if (!range || document.isClosed) {
        const message = vscode.l10n.t(
          'The code in {0} changed while the edit was being prepared, so nothing was proposed; the new code is open in a new editor.',
          target.fileLabel,
        );
        await keepUnapplied(code, target.languageId, message);
        return { status: 'failed', message };
      }
      // Indented like the selection's first line, with the line breaks the selection started and ended with.
      const fitted = fitToSelection(code, document, range);
      const id = await proposals.propose(document, range, fitted, target.fileLabel);
      log.info(`Proposed an edit of ${target.fileLabel} lines ${target.startLine}-${target.endLine} (${fitted.length} chars).`);
      const message = reviewMessage(target.fileLabel, answer.block);
      void offerDecision(proposals, id, message, answer);
      return { status: 'proposed', id, code: fitted, block: answer.block, message };
    },
  });
}

/** Asks to review the edit, naming which block of the answer it is when the answer held several. */
function reviewMessage(fileLabel: string, block: ExtractedCode): string {
  if (block.count < 2) {
    return vscode.l10n.t('Review the proposed edit of {0}, then accept or reject it.', fileLabel);
  }
  return block.language
    ? vscode.l10n.t({
        message: 'Review the proposed edit of {0}, then accept or reject it. It is code block {1} of {2} ({3}) from the answer.',
        args: [fileLabel, block.index, block.count, block.language],
        comment: ['{0} is a file name, {1} and {2} are numbers, {3} is the language the block is marked with, e.g. python'],
      })
    : vscode.l10n.t({
        message: 'Review the proposed edit of {0}, then accept or reject it. It is code block {1} of {2} from the answer.',
        args: [fileLabel, block.index, block.count],
        comment: ['{0} is a file name, {1} and {2} are numbers'],
      });
}

async function offerDecision(proposals: ProposalManager, id: string, message: string, answer: AnswerTaken): Promise<void> {
  const accept = vscode.l10n.t('Accept');
  const reject = vscode.l10n.t('Reject');
  const open = openAnswerLabel();
  const buttons = answer.block.count > 1 ? [accept, reject, open] : [accept, reject];
  const choice = await vscode.window.showInformationMessage(message, ...buttons);
  if (choice === open) {
    // The diff stays open: its title bar still has Accept and Reject.
    await openWholeAnswer(answer);
    return;
  }
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
