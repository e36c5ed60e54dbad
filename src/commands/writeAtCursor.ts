import * as vscode from 'vscode';
import { Command } from '../constants';
import { readConfig } from '../config/config';
import { extractCode } from '../prompts/templates';
import type { Services } from '../services';
import { fileLabelOf, targetOf } from '../selection/codeTarget';
import { keepUnapplied, openInNewEditor, retryOnSameCode } from '../selection/keepAnswer';
import { activeEditor, askInstruction, ensureKey, parseArgs } from '../selection/preflight';
import { promptFor } from '../selection/promptValues';
import { requestWithProgress } from '../selection/requestWithProgress';
import { TrackedSpan } from '../edit/trackedSpan';
import { showErrorNotification } from '../errors/errorActions';
import { describeError } from '../errors/describeError';

const CONTEXT_LINES_BEFORE = 60;
const CONTEXT_LINES_AFTER = 20;

export type WriteAtCursorResult =
  | { readonly status: 'inserted'; readonly code: string }
  | { readonly status: 'savedElsewhere'; readonly code: string; readonly message: string }
  | { readonly status: 'cancelled' | 'failed' | 'unavailable'; readonly message?: string };

/** Write at Cursor…: an instruction; the returned code is inserted at the cursor in one undo step. */
export async function writeAtCursor(services: Services, rawArgs?: unknown): Promise<WriteAtCursorResult> {
  const args = parseArgs(rawArgs);
  const editor = activeEditor({ writable: true });
  if (!editor || !(await ensureKey(services))) {
    return { status: 'unavailable' };
  }
  const { document } = editor;
  const cursor = editor.selection.active;
  const fileLabel = fileLabelOf(document);
  const instruction = await askInstruction(
    args,
    vscode.l10n.t('AnyAPI: Write at line {0} of {1}', cursor.line + 1, fileLabel),
    vscode.l10n.t('What should AnyAPI write here? e.g. “a function that parses ISO dates”'),
  );
  if (!instruction) {
    return { status: 'cancelled' };
  }
  const beforeRange = new vscode.Range(new vscode.Position(Math.max(0, cursor.line - CONTEXT_LINES_BEFORE), 0), cursor);
  const afterEnd = document.lineAt(Math.min(document.lineCount - 1, cursor.line + CONTEXT_LINES_AFTER)).range.end;
  const target = targetOf(document, new vscode.Range(cursor, cursor), 'selection');
  const prompt = promptFor('write', target, {
    question: instruction,
    before: document.getText(beforeRange),
    after: document.getText(new vscode.Range(cursor, afterEnd)),
  });
  const tracked = new TrackedSpan(document, new vscode.Range(cursor, cursor));
  const log = services.logger.forComponent('writeAtCursor');
  let code: string | undefined;
  try {
    const answer = await requestWithProgress(services, {
      title: vscode.l10n.t('AnyAPI is writing at line {0} of {1}', cursor.line + 1, fileLabel),
      prompt: prompt,
      scope: document.uri,
      cancellation: args.cancellation,
    });
    code = indentLikeCursor(extractCode(answer.text), document, cursor);
    if (answer.status === 'incomplete' || !code.trim()) {
      const message =
        answer.status === 'incomplete'
          ? vscode.l10n.t(
              'The answer was cut short ({0}), so it was not inserted; what arrived is open in a new editor. Raise anyapi.maxOutputTokens or ask for less.',
              answer.incompleteReason ?? 'incomplete',
            )
          : vscode.l10n.t('The model answered without any code, so nothing was inserted; its answer is open in a new editor.');
      await keepUnapplied(answer.status === 'incomplete' ? code : answer.text, answer.status === 'incomplete' ? document.languageId : 'markdown', message);
      return { status: 'failed', message };
    }
    const range = tracked.range;
    if (!range || document.isClosed) {
      return await saveElsewhere(code, document.languageId, fileLabel);
    }
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, range.start, code);
    if (!(await vscode.workspace.applyEdit(edit))) {
      return await saveElsewhere(code, document.languageId, fileLabel);
    }
    log.info(`Inserted ${code.length} chars at ${fileLabel}:${range.start.line + 1}.`);
    return { status: 'inserted', code };
  } catch (error) {
    const described = describeError(error, readConfig(document.uri).baseUrl);
    if (described.kind === 'aborted') {
      return { status: 'cancelled' };
    }
    log.warn(error instanceof Error ? error.message : String(error));
    if (described.partialText?.trim()) {
      await openInNewEditor(described.partialText, 'markdown');
    }
    showErrorNotification(described, retryOnSameCode(Command.WriteAtCursor, document, tracked.range, instruction));
    return { status: 'failed', message: described.message };
  } finally {
    tracked.dispose();
  }
}

/** Continuation lines get the indentation of the cursor's line, so inserted code lines up. */
function indentLikeCursor(code: string, document: vscode.TextDocument, cursor: vscode.Position): string {
  const linePrefix = document.lineAt(cursor.line).text.slice(0, cursor.character);
  if (!/^\s*$/.test(linePrefix) || !linePrefix) {
    return code;
  }
  const lines = code.replace(/\s+$/, '').split('\n');
  const common = Math.min(...lines.filter((line) => line.trim()).map((line) => /^\s*/.exec(line)![0].length));
  const dedented = lines.map((line) => line.slice(Number.isFinite(common) ? common : 0));
  return dedented.map((line, index) => (index === 0 || !line ? line : linePrefix + line)).join('\n');
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
