// Where code from an answer goes in a document: at a cursor on lines of its own, or over a selection, indented to
// fit and in the document's line ending (Write at Cursor, Edit Selection, and the chat's Insert and Replace).
import * as vscode from 'vscode';
import type { IndentStyle } from '../prompts/indentation';
import { fitReplacement, leadingWhitespace, placeAtCursor } from '../prompts/indentation';

/** How far up and down a blank line looks for the code whose indentation it takes. */
const INDENT_SEARCH_LINES = 200;

/** The document's line ending, which code is written with. */
export function eolOf(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

/** Tabs or spaces, as the editor showing the document indents it (detected or set); undefined when none shows it. */
export function indentStyleOf(document: vscode.TextDocument): IndentStyle | undefined {
  const editor = vscode.window.visibleTextEditors.find((visible) => visible.document === document);
  const { insertSpaces, tabSize } = editor?.options ?? {};
  return typeof insertSpaces === 'boolean' && typeof tabSize === 'number' ? { insertSpaces, tabSize } : undefined;
}

/**
 * The code as it is inserted where the cursor is now: on lines of its own, indented where it lands, in the document's
 * line ending. It replaces the whitespace right after the cursor, which would otherwise dangle.
 */
export function fitToCursor(code: string, document: vscode.TextDocument, cursor: vscode.Position): { text: string; range: vscode.Range } {
  const lineText = document.lineAt(cursor.line).text;
  const before = lineText.slice(0, cursor.character);
  const after = lineText.slice(cursor.character);
  const text = placeAtCursor(code, {
    before,
    after,
    nextLine: nearestCodeLine(document, cursor.line, 1),
    previousLine: nearestCodeLine(document, cursor.line, -1),
    lastLine: cursor.line > 0 && cursor.line === document.lineCount - 1,
    eol: eolOf(document),
    style: indentStyleOf(document),
  });
  return { text, range: new vscode.Range(cursor, cursor.translate(0, leadingWhitespace(after).length)) };
}

/** The nearest non-blank line below (step 1) or above (step -1) the given one. */
function nearestCodeLine(document: vscode.TextDocument, line: number, step: 1 | -1): string | undefined {
  for (let index = line + step, seen = 0; index >= 0 && index < document.lineCount && seen < INDENT_SEARCH_LINES; index += step, seen++) {
    const text = document.lineAt(index).text;
    if (text.trim()) {
      return text;
    }
  }
  return undefined;
}

/** The code as it replaces `range`: indented like the range's first line, keeping the line breaks it began and ended with. */
export function fitToSelection(code: string, document: vscode.TextDocument, range: vscode.Range): string {
  return fitReplacement(code, {
    text: document.getText(range),
    linePrefix: document.lineAt(range.start.line).text.slice(0, range.start.character),
    eol: eolOf(document),
    style: indentStyleOf(document),
  });
}
