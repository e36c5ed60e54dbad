// The resource the next request's settings are read for, the same wherever the model is shown or changed.
import * as vscode from 'vscode';

let lastDocument: vscode.Uri | undefined;

/**
 * Follows the active text editor, so `settingsScope()` still knows the editor the user last worked in while the chat
 * view, a panel or an editor that is not text has focus, or after the editors were closed. The owner disposes it.
 */
export function followActiveEditor(): vscode.Disposable {
  lastDocument = vscode.window.activeTextEditor?.document.uri ?? lastDocument;
  return vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) {
      lastDocument = editor.document.uri;
    }
  });
}

/**
 * The document of the text editor the user last worked in: the chat reads its settings there (src/chat/editorActions.ts
 * follows the same rule) and the selection commands run in the active one. In a multi-root workspace it decides which
 * folder's model applies. Undefined when no text editor was active yet: the workspace's (or user's) settings apply.
 */
export function settingsScope(): vscode.Uri | undefined {
  return vscode.window.activeTextEditor?.document.uri ?? lastDocument;
}
