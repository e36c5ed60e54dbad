import * as vscode from 'vscode';
import { Command } from '../constants';
import { readConfig } from '../config/config';
import { extractCode } from '../prompts/templates';
import type { Services } from '../services';
import { confirmLargeCode, resolveCodeTarget } from '../selection/codeTarget';
import { keepUnapplied, openInNewEditor, retryOnSameCode } from '../selection/keepAnswer';
import { activeEditor, askInstruction, ensureKey, parseArgs } from '../selection/preflight';
import { promptFor } from '../selection/promptValues';
import { requestWithProgress } from '../selection/requestWithProgress';
import type { ProposalManager, ProposalOutcome } from './proposals';
import { TrackedSpan } from './trackedSpan';
import { showErrorNotification } from '../errors/errorActions';
import { describeError } from '../errors/describeError';

export type EditSelectionResult =
  | { readonly status: 'proposed'; readonly id: string; readonly code: string }
  | { readonly status: 'cancelled' | 'failed' | 'unavailable'; readonly message?: string };

/**
 * Edit Selection…: an instruction, then the model's code as a diff against the selection with Accept and Reject.
 * Accepting replaces the selection in one undo step (see ProposalManager).
 */
export async function editSelection(services: Services, proposals: ProposalManager, rawArgs?: unknown): Promise<EditSelectionResult> {
  const args = parseArgs(rawArgs);
  const editor = activeEditor({ writable: true });
  if (!editor || !(await ensureKey(services))) {
    return { status: 'unavailable' };
  }
  const target = await resolveCodeTarget(editor);
  if (!target) {
    const message = vscode.l10n.t('Select the code to edit first.');
    void vscode.window.showInformationMessage(message);
    return { status: 'unavailable', message };
  }
  if (!(await confirmLargeCode(target.code))) {
    return { status: 'cancelled' };
  }
  const instruction = await askInstruction(
    args,
    vscode.l10n.t('AnyAPI: Edit {0} (lines {1}-{2})', target.fileLabel, target.startLine, target.endLine),
    vscode.l10n.t('How should the code change? e.g. “add error handling”, “convert to async/await”'),
  );
  if (!instruction) {
    return { status: 'cancelled' };
  }
  // Follow the code while the model works, so the proposal is made for where it is when the answer arrives.
  const tracked = new TrackedSpan(target.document, target.range);
  const log = services.logger.forComponent('editSelection');
  try {
    const answer = await requestWithProgress(services, {
      title: vscode.l10n.t('AnyAPI is editing {0}', target.fileLabel),
      prompt: promptFor('edit', target, { question: instruction }),
      scope: target.document.uri,
      cancellation: args.cancellation,
    });
    let code = extractCode(answer.text);
    if (answer.status === 'incomplete' || !code.trim()) {
      const message =
        answer.status === 'incomplete'
          ? vscode.l10n.t(
              'The answer was cut short ({0}), so it was not proposed as an edit; what arrived is open in a new editor. Raise anyapi.maxOutputTokens or select less code.',
              answer.incompleteReason ?? 'incomplete',
            )
          : vscode.l10n.t('The model answered without any code, so nothing was proposed; its answer is open in a new editor.');
      await keepUnapplied(answer.status === 'incomplete' ? code : answer.text, answer.status === 'incomplete' ? target.languageId : 'markdown', message);
      return { status: 'failed', message };
    }
    if (/\r?\n$/.test(target.code) && !/\n$/.test(code)) {
      code += target.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    }
    const range = tracked.range;
    if (!range || target.document.isClosed) {
      const message = vscode.l10n.t(
        'The code in {0} changed while the edit was being prepared, so nothing was proposed; the new code is open in a new editor.',
        target.fileLabel,
      );
      await keepUnapplied(code, target.languageId, message);
      return { status: 'failed', message };
    }
    const id = await proposals.propose(target.document, range, code, target.fileLabel);
    log.info(`Proposed an edit of ${target.fileLabel} lines ${target.startLine}-${target.endLine} (${code.length} chars).`);
    void offerDecision(proposals, id, target.fileLabel);
    return { status: 'proposed', id, code };
  } catch (error) {
    const described = describeError(error, readConfig(target.document.uri).baseUrl);
    if (described.kind === 'aborted') {
      return { status: 'cancelled' };
    }
    log.warn(error instanceof Error ? error.message : String(error));
    if (described.partialText?.trim()) {
      await openInNewEditor(described.partialText, 'markdown');
    }
    showErrorNotification(described, retryOnSameCode(Command.EditSelection, target.document, tracked.range, instruction));
    return { status: 'failed', message: described.message };
  } finally {
    tracked.dispose();
  }
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
