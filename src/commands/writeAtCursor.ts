/** Write at Cursor…: the model's code for an instruction, inserted at the cursor in one undo step. */
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
import { fitToCursor } from '../selection/placement';
import { TrackedSpan } from '../edit/trackedSpan';

const CONTEXT_LINES_BEFORE = 60;
const CONTEXT_LINES_AFTER = 20;
/** How far a blank line looks for the code around it to take its indentation from. */

export type WriteAtCursorResult =
  | {
      readonly status: 'inserted';
      readonly code: string;
      /** Which fenced block of the answer was inserted. */
      readonly block: ExtractedCode;
      /** What the user was told about the block, when the answer held several. */
      readonly message?: string;
    }
  | { readonly status: 'savedElsewhere'; readonly code: string; readonly message: string }
  | { readonly status: 'cancelled' | 'failed' | 'unavailable'; readonly message?: string };

/** Write at Cursor…: an instruction; the returned code is inserted at the cursor in one undo step. */
export async function writeAtCursor(services: Services, rawArgs?: unknown): Promise<WriteAtCursorResult> {
  const prepared = await prepareSelection(services, rawArgs, {
    writable: true,
    code: 'cursor',
    instruction: (target, args) =>
      askInstruction(
        args,
        vscode.l10n.t('AnyAPI: Write at line {0} of {1}', target.startLine, target.fileLabel),
        vscode.l10n.t('What should AnyAPI write here? e.g. “a function that parses ISO dates”'),
      ),
  });
  if (prepared.status !== 'ready') {
    return prepared;
  }
  const { target } = prepared;
  const { document, fileLabel } = target;
  const cursor = target.range.start;
  const beforeRange = new vscode.Range(new vscode.Position(Math.max(0, cursor.line - CONTEXT_LINES_BEFORE), 0), cursor);
  const afterEnd = document.lineAt(Math.min(document.lineCount - 1, cursor.line + CONTEXT_LINES_AFTER)).range.end;
  return requestCode<WriteAtCursorResult>(services, prepared, {
    command: Command.WriteAtCursor,
    component: 'writeAtCursor',
    title: vscode.l10n.t('AnyAPI is writing at line {0} of {1}', cursor.line + 1, fileLabel),
    prompt: promptFor('write', target, {
      question: prepared.instruction,
      before: document.getText(beforeRange),
      after: document.getText(new vscode.Range(cursor, afterEnd)),
    }),
    follow: (spanDocument, range) => new TrackedSpan(spanDocument, range),
    cutShortMessage: (reason) =>
      vscode.l10n.t(
        'The answer was cut short ({0}), so it was not inserted; what arrived is open in a new editor. Raise anyapi.maxOutputTokens or ask for less.',
        reason,
      ),
    noCodeMessage: vscode.l10n.t('The model answered without any code, so nothing was inserted; its answer is open in a new editor.'),
    apply: async (code, range, log, answer) => {
      if (!range || document.isClosed) {
        return await saveElsewhere(code, document.languageId, fileLabel);
      }
      const placed = fitToCursor(code, document, range.start);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, placed.range, placed.text);
      if (!(await vscode.workspace.applyEdit(edit))) {
        return await saveElsewhere(code, document.languageId, fileLabel);
      }
      log.info(`Inserted ${placed.text.length} chars at ${fileLabel}:${range.start.line + 1}.`);
      const message = insertedBlockMessage(answer.block);
      if (message) {
        void offerWholeAnswer(message, answer);
      }
      return { status: 'inserted', code: placed.text, block: answer.block, ...(message ? { message } : {}) };
    },
  });
}

/** Which block of the answer was inserted, said only when the answer held several. */
function insertedBlockMessage(block: ExtractedCode): string | undefined {
  if (block.count < 2) {
    return undefined;
  }
  return block.language
    ? vscode.l10n.t({
        message: 'Inserted code block {0} of {1} ({2}) from the answer.',
        args: [block.index, block.count, block.language],
        comment: ['{0} and {1} are numbers, {2} is the language the block is marked with, e.g. python'],
      })
    : vscode.l10n.t({
        message: 'Inserted code block {0} of {1} from the answer.',
        args: [block.index, block.count],
        comment: ['{0} and {1} are numbers'],
      });
}

async function offerWholeAnswer(message: string, answer: AnswerTaken): Promise<void> {
  const open = openAnswerLabel();
  if ((await vscode.window.showInformationMessage(message, open)) === open) {
    await openWholeAnswer(answer);
  }
}

/** The document went away or cannot be changed: the code opens in a new editor, so nothing is lost. */
async function saveElsewhere(code: string, languageId: string, fileLabel: string): Promise<WriteAtCursorResult> {
  const message = vscode.l10n.t(
    '{0} was closed or changed where the cursor was, so the code opened in a new editor instead.',
    fileLabel,
  );
  await keepUnapplied(code, languageId, message);
  return { status: 'savedElsewhere', code, message };
}
