import * as vscode from 'vscode';
import { isSecretStorageUnavailable } from '../config/keyStore';
import { Command } from '../constants';
import { actionLabel, missingKeySentence } from '../errors/describeError';
import type { Services } from '../services';
import { isReadOnly } from './codeTarget';

/** Options a selection command accepts from a keybinding or an automated test instead of asking. */
export interface SelectionCommandArgs {
  /** The question (Ask) or instruction (Edit, Write); skips the input box. */
  readonly instruction?: string;
  /** Cancels the request, as the notification's Cancel button does (for callers in the same extension host). */
  readonly cancellation?: vscode.CancellationToken;
  /** The code to act on instead of the selection: a problem's lines (Explain and Fix with AnyAPI), shown selected. */
  readonly at?: { readonly uri: vscode.Uri; readonly range: vscode.Range };
}

export function parseArgs(value: unknown): SelectionCommandArgs {
  if (typeof value === 'string') {
    return { instruction: value };
  }
  if (typeof value !== 'object' || value === null) {
    return {};
  }
  const { instruction, cancellation, at } = value as { instruction?: unknown; cancellation?: Partial<vscode.CancellationToken>; at?: { uri?: unknown; range?: unknown } };
  return {
    instruction: typeof instruction === 'string' ? instruction : undefined,
    cancellation: typeof cancellation?.onCancellationRequested === 'function' ? (cancellation as vscode.CancellationToken) : undefined,
    ...(at?.uri instanceof vscode.Uri && at.range instanceof vscode.Range ? { at: { uri: at.uri, range: at.range } } : {}),
  };
}

/** Aborts `controller` when any of the tokens is cancelled; dispose the result when the request ends. */
export function abortOnCancel(controller: AbortController, ...tokens: (vscode.CancellationToken | undefined)[]): vscode.Disposable {
  const subscriptions = tokens
    .filter((token): token is vscode.CancellationToken => token !== undefined)
    .map((token) => {
      if (token.isCancellationRequested) {
        controller.abort();
      }
      return token.onCancellationRequested(() => controller.abort());
    });
  return vscode.Disposable.from(...subscriptions);
}

/**
 * True when a key is stored; otherwise offers Set API Key, or says that secret storage cannot be used, and returns
 * what the user was told.
 */
export async function ensureKey(services: Services): Promise<true | { readonly message: string }> {
  let stored: boolean;
  try {
    stored = await services.keyStore.has();
  } catch (error) {
    if (!isSecretStorageUnavailable(error)) throw error;
    void vscode.window.showErrorMessage(error.message);
    return { message: error.message };
  }
  if (stored) {
    return true;
  }
  const set = actionLabel('setApiKey');
  const message = missingKeySentence();
  void vscode.window.showWarningMessage(message, set).then((choice) => (choice === set ? vscode.commands.executeCommand(Command.SetApiKey) : undefined));
  return { message };
}

/**
 * The editor a selection command works in, or undefined after saying why there is none. With `at` (a problem's
 * lines), its file is shown with those lines selected, so the user sees what is sent.
 */
export async function commandEditor(options: { writable: boolean }, at?: SelectionCommandArgs['at']): Promise<vscode.TextEditor | undefined> {
  if (!at) return activeEditor(options);
  const document = await vscode.workspace.openTextDocument(at.uri);
  const range = document.validateRange(at.range);
  const editor = await vscode.window.showTextDocument(document, { selection: new vscode.Selection(range.start, range.end), preview: false });
  return activeEditor(options, editor);
}

/** The editor a selection command works in, or undefined after saying why there is none. */
export function activeEditor(options: { writable: boolean }, chosen?: vscode.TextEditor): vscode.TextEditor | undefined {
  // From a walkthrough or the chat view there is no active text editor, but the file beside it is the one meant.
  const editor = chosen ?? vscode.window.activeTextEditor ?? (vscode.window.visibleTextEditors.length === 1 ? vscode.window.visibleTextEditors[0] : undefined);
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a file and select some code first.'));
    return undefined;
  }
  if (options.writable && isReadOnly(editor.document)) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('{0} is read-only, so AnyAPI cannot change it. Use Explain or Ask instead, or open a writable copy.', editor.document.uri.path.split('/').pop() ?? ''),
    );
    return undefined;
  }
  return editor;
}

/** Asks for the question or instruction unless it was passed in; undefined when the user cancels. */
export async function askInstruction(args: SelectionCommandArgs, title: string, placeHolder: string): Promise<string | undefined> {
  if (args.instruction?.trim()) {
    return args.instruction.trim();
  }
  const value = await vscode.window.showInputBox({
    title,
    placeHolder,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('Type what AnyAPI should do.')),
  });
  return value?.trim() || undefined;
}
