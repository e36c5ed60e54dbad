// What an answer's code buttons do outside the chat: Insert at Cursor, Replace Selection and Copy.
import * as vscode from 'vscode';
import { fitToCursor, fitToSelection } from '../selection/placement';
import { countHiddenCharacters, withoutHiddenCharacters } from '../shared/hiddenCharacters';
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

  /**
   * Code with invisible or text-direction characters is put in only after a question: they can make it do something
   * other than what it shows (Trojan Source).
   */
  private async confirmHidden(code: string): Promise<string | undefined> {
    const hidden = countHiddenCharacters(code);
    if (hidden === 0) {
      return code;
    }
    const anyway = vscode.l10n.t('Insert Anyway');
    const without = vscode.l10n.t('Remove Them and Insert');
    const choice = await Promise.resolve(
      vscode.window.showWarningMessage(
        vscode.l10n.t('This code holds {0} invisible or text-direction characters.', hidden),
        { modal: true, detail: vscode.l10n.t('They can make code do something other than what it shows. Insert it as it is, or without them?') },
        without,
        anyway,
      ),
    ).catch(() => undefined);
    return choice === anyway ? code : choice === without ? withoutHiddenCharacters(code) : undefined;
  }

  /** Insert at Cursor / Replace Selection in the last active editor, as one undo step; never in another file. */
  async insertCode(proposed: string, mode: InsertMode): Promise<boolean> {
    const code = await this.confirmHidden(proposed);
    if (code === undefined) {
      return false;
    }
    const editor = pickTargetEditor(this.lastEditor, vscode.window.visibleTextEditors);
    if (!editor) {
      void vscode.window.showWarningMessage(
        this.lastEditor
          ? vscode.l10n.t('The editor you last worked in is no longer open. Open the file to change and place the cursor, then try again: the code block stays in the chat.')
          : vscode.l10n.t('Open a file in an editor first: there is nowhere to put the code.'),
      );
      return false;
    }
    // Placed as Write at Cursor and Edit Selection place code: on lines of its own at a cursor (never glued onto a
    // comment or the code after it), re-indented over a selection, in the document's line ending.
    const document = editor.document;
    const changes = editor.selections.map((selection) =>
      mode === 'replace' && !selection.isEmpty
        ? { range: selection as vscode.Range, text: fitToSelection(code, document, selection) }
        : fitToCursor(code, document, selection.active),
    );
    const applied = await editor.edit((edit) => {
      for (const change of changes) {
        edit.replace(change.range, change.text);
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
