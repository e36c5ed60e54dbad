import * as vscode from 'vscode';
import type { Command } from '../constants';

/** Opens text the user must not lose (code that could not be applied, a partial answer) in a new editor. */
export async function openInNewEditor(text: string, languageId: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ content: text, language: languageId });
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

/** Says why code was not applied, and keeps it in a new editor. */
export async function keepUnapplied(code: string, languageId: string, message: string): Promise<void> {
  if (code.trim()) {
    await openInNewEditor(code, languageId);
  }
  void vscode.window.showWarningMessage(message);
}

/**
 * A Retry for a selection command that acts on the same code as the failed attempt: the original range is
 * selected again (when the code is still there) before the command runs with the same instruction.
 */
export function retryOnSameCode(
  command: Command.EditSelection | Command.WriteAtCursor,
  document: vscode.TextDocument,
  range: vscode.Range | undefined,
  instruction: string,
): () => Promise<unknown> {
  return async () => {
    if (document.isClosed || !range) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('The code this request was about is no longer where it was. Select it again and rerun the command.'),
      );
      return undefined;
    }
    await vscode.window.showTextDocument(document, { selection: range, preview: false });
    return vscode.commands.executeCommand(command, { instruction });
  };
}
