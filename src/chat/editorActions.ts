// What an answer's code buttons do outside the chat: Insert at Cursor, Replace Selection and Copy.
import * as vscode from 'vscode';
import type { InsertMode } from '../shared/protocol';
import { DisposableStore } from '../util/disposables';
import { pickTargetEditor } from './targetEditor';

/** Follows the editor the user last worked in: where code goes, and the scope settings are read for. */
export class EditorActions implements vscode.Disposable {
  private lastEditor: vscode.TextEditor | undefined;
  private readonly disposables = new DisposableStore();

  constructor() {
    this.lastEditor = vscode.window.activeTextEditor;
    this.disposables.add(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) {
          this.lastEditor = editor;
        }
      }),
    );
  }

  /** The document of the editor the user last worked in: the scope settings are read for. */
  scope(): vscode.Uri | undefined {
    return this.lastEditor?.document.uri;
  }

  /** Insert at Cursor / Replace Selection in the last active editor, as one undo step; never in another file. */
  async insertCode(code: string, mode: InsertMode): Promise<boolean> {
    const editor = pickTargetEditor(this.lastEditor, vscode.window.visibleTextEditors);
    if (!editor) {
      void vscode.window.showWarningMessage(
        this.lastEditor
          ? vscode.l10n.t('The editor you last worked in is no longer open. Open the file to change and place the cursor, then try again: the code block stays in the chat.')
          : vscode.l10n.t('Open a file in an editor first: there is nowhere to put the code.'),
      );
      return false;
    }
    const applied = await editor.edit((edit) => {
      for (const selection of editor.selections) {
        if (mode === 'replace') {
          edit.replace(selection, code);
        } else {
          edit.insert(selection.active, code);
        }
      }
    });
    if (!applied) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('The code could not be put into {0}: the editor is read-only or changed meanwhile.', vscode.workspace.asRelativePath(editor.document.uri)),
      );
      return false;
    }
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
    return true;
  }

  async copy(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
