import * as vscode from 'vscode';
import type { QuoteView } from '../shared/protocol';

/** The code a selection command acts on: what the prompt and the chat quote say about it, and where it is. */
export interface CodeTarget extends QuoteView {
  readonly document: vscode.TextDocument;
  readonly range: vscode.Range;
  /** How the range was chosen, so the user hears when it was not their selection. */
  readonly origin: 'selection' | 'symbol' | 'file';
}

/** The whole file is used when nothing is selected and the language cannot tell the block around the cursor. */
const SMALL_FILE_CHARS = 12_000;
/** Above this the user is asked before the code is sent. */
export const LARGE_SELECTION_CHARS = 60_000;

const BLOCK_KINDS = new Set([
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Constructor,
  vscode.SymbolKind.Class,
  vscode.SymbolKind.Interface,
  vscode.SymbolKind.Enum,
  vscode.SymbolKind.Struct,
  vscode.SymbolKind.Module,
  vscode.SymbolKind.Namespace,
]);

/**
 * How a document is named in prompts, the chat's quote, the stored history and diff titles: the path relative to its
 * workspace folder (with the folder's name in a multi-root workspace), else the file name alone. Never an absolute
 * path: it would send the user's name and folder layout to the server. A notebook cell is named after its notebook
 * and its cell number.
 */
export function fileLabelOf(document: vscode.TextDocument): string {
  const cell = notebookCellOf(document);
  if (cell) {
    return vscode.l10n.t({ message: '{0}, cell {1}', args: [labelOfUri(cell.notebook.uri, cell.notebook.isUntitled), cell.index + 1], comment: ['{0} is a notebook file, {1} a cell number'] });
  }
  return labelOfUri(document.uri, document.isUntitled);
}

function labelOfUri(uri: vscode.Uri, untitled: boolean): string {
  const name = uri.path.split('/').pop() ?? '';
  if (untitled) {
    return name || vscode.l10n.t('Untitled');
  }
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder) {
    const relative = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
    if (relative && relative !== uri.fsPath && relative !== uri.path) return relative;
  }
  return name || uri.scheme;
}

/** The notebook cell a text document belongs to, if it is one. */
function notebookCellOf(document: vscode.TextDocument): vscode.NotebookCell | undefined {
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().find((candidate) => candidate.document === document);
    if (cell) return cell;
  }
  return undefined;
}

export function targetOf(document: vscode.TextDocument, range: vscode.Range, origin: CodeTarget['origin']): CodeTarget {
  return {
    document,
    range,
    code: document.getText(range),
    languageId: document.languageId,
    fileLabel: fileLabelOf(document),
    startLine: range.start.line + 1,
    endLine: range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1,
    origin,
  };
}

/**
 * The selection; with none, the innermost function or block around the cursor when the language can tell, else the
 * whole file when it is small. Undefined when there is nothing sensible to send.
 */
export async function resolveCodeTarget(editor: vscode.TextEditor): Promise<CodeTarget | undefined> {
  const { document, selection } = editor;
  if (!selection.isEmpty && document.getText(selection).trim()) {
    return targetOf(document, selection, 'selection');
  }
  const symbolRange = await enclosingBlock(document, selection.active);
  if (symbolRange) {
    return targetOf(document, symbolRange, 'symbol');
  }
  const text = document.getText();
  if (text.trim() && text.length <= SMALL_FILE_CHARS) {
    const end = document.lineAt(document.lineCount - 1).range.end;
    return targetOf(document, new vscode.Range(new vscode.Position(0, 0), end), 'file');
  }
  return undefined;
}

async function enclosingBlock(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Range | undefined> {
  let symbols: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
  try {
    symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>(
      'vscode.executeDocumentSymbolProvider',
      document.uri,
    );
  } catch {
    return undefined;
  }
  let best: vscode.Range | undefined;
  const visit = (items: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]): void => {
    for (const symbol of items) {
      const range = 'range' in symbol ? symbol.range : symbol.location.range;
      if (!range.contains(position)) {
        continue;
      }
      if (BLOCK_KINDS.has(symbol.kind) && (!best || best.contains(range))) {
        best = range;
      }
      if ('children' in symbol && symbol.children.length > 0) {
        visit(symbol.children);
      }
    }
  };
  visit(symbols ?? []);
  return best;
}

/** Asks before sending a very large piece of code; true when the user wants to go on. */
export async function confirmLargeCode(code: string): Promise<boolean> {
  if (code.length <= LARGE_SELECTION_CHARS) {
    return true;
  }
  const send = vscode.l10n.t('Send Anyway');
  const kilobytes = Math.round(Buffer.byteLength(code, 'utf8') / 1024);
  const tokens = Math.round(code.length / 4);
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'The code is large: {0} KB, about {1} tokens. Sending it costs tokens and may exceed the model’s context. Send it anyway?',
      kilobytes,
      tokens.toLocaleString(),
    ),
    { modal: true },
    send,
  );
  return choice === send;
}

/** A document the user cannot change (a diff's left side, an output channel, a read-only file system). */
export function isReadOnly(document: vscode.TextDocument): boolean {
  if (['output', 'vscode-scm', 'git', 'debug'].includes(document.uri.scheme)) {
    return true;
  }
  return vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) === false;
}
