/** The checks every selection command runs before sending: an editor, a key, the code, its size, the instruction. */
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { CodeTarget } from './codeTarget';
import { confirmLargeCode, resolveCodeTarget, targetOf } from './codeTarget';
import type { SelectionCommandArgs } from './preflight';
import { commandEditor, ensureKey, parseArgs } from './preflight';

/** Why a selection command stopped before anything was sent; `message` is what the user was told, if anything. */
export interface SelectionStopped {
  readonly status: 'cancelled' | 'unavailable';
  readonly message?: string;
}

/** Everything checked and asked: the code to send and the question or instruction to send it with. */
export interface PreparedSelection {
  readonly status: 'ready';
  readonly args: SelectionCommandArgs;
  readonly target: CodeTarget;
  readonly instruction: string;
}

/** What differs between the commands' checks. */
export interface SelectionChecks {
  /** Edit and Write change the document, so a read-only one is refused. */
  readonly writable: boolean;
  /**
   * 'cursor': the empty range at the cursor (Write). Otherwise the selection or the code around the cursor
   * (resolveCodeTarget), and `noCodeMessage` is said when there is none.
   */
  readonly code: 'cursor' | { readonly noCodeMessage: string };
  /** The question or instruction for this code; undefined when the user cancels. */
  readonly instruction: (target: CodeTarget, args: SelectionCommandArgs) => Thenable<string | undefined> | string;
}

/** Runs the checks in order and stops at the first that fails, saying why where the user needs to hear it. */
export async function prepareSelection(services: Services, rawArgs: unknown, checks: SelectionChecks): Promise<PreparedSelection | SelectionStopped> {
  const args = parseArgs(rawArgs);
  const editor = await commandEditor({ writable: checks.writable }, args.at);
  if (!editor) {
    return { status: 'unavailable' };
  }
  const key = await ensureKey(services);
  if (key !== true) {
    return { status: 'unavailable', message: key.message };
  }
  let target: CodeTarget | undefined;
  if (checks.code === 'cursor') {
    const cursor = editor.selection.active;
    target = targetOf(editor.document, new vscode.Range(cursor, cursor), 'selection');
  } else {
    target = await resolveCodeTarget(editor);
    if (!target) {
      const message = checks.code.noCodeMessage;
      void vscode.window.showInformationMessage(message);
      return { status: 'unavailable', message };
    }
  }
  if (!(await confirmLargeCode(target.code))) {
    return { status: 'cancelled' };
  }
  const instruction = await checks.instruction(target, args);
  if (!instruction) {
    return { status: 'cancelled' };
  }
  return { status: 'ready', args, target, instruction };
}
