/**
 * Where context chips come from: files, the selection, Problems, the terminal and git changes. Each source gives an
 * item, or a sentence saying why it gave none (the file is binary, git-ignored, outside the workspace; there is
 * nothing to attach).
 */
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { ContextItem, ContextKind } from '../shared/protocol';
import { MAX_CONTEXT_ITEM_CHARS } from '../shared/protocol';
import { fileLabelOf } from '../selection/codeTarget';
import { problemOrigin } from '../selection/problems';
import { gitRepositoryFor, isGitIgnored } from './git';

/** An item, or what the user is told instead. */
export type Gathered = { readonly item: ContextItem } | { readonly refused: string };

/** Bytes looked at to tell a binary file: a NUL among them means it is not text. */
const BINARY_SNIFF_BYTES = 8_000;

/** An item of `text`, cut at MAX_CONTEXT_ITEM_CHARS (the start is kept; `keepEnd` keeps the end, for terminal output). */
export function contextItem(kind: ContextKind, label: string, text: string, languageId?: string, keepEnd = false): ContextItem {
  const cut = text.length > MAX_CONTEXT_ITEM_CHARS;
  const kept = !cut ? text : keepEnd ? text.slice(-MAX_CONTEXT_ITEM_CHARS) : text.slice(0, MAX_CONTEXT_ITEM_CHARS);
  return {
    id: randomUUID(),
    kind,
    label,
    chars: kept.length,
    ...(cut ? { cutFrom: text.length } : {}),
    text: kept,
    ...(languageId ? { languageId } : {}),
  };
}

function nameOf(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}

/**
 * Why a file may not be attached, if it may not: outside the workspace (a file elsewhere on the disk may be anything of
 * the user's), or ignored by git (build output, secrets in `.env`). Untitled and other in-editor documents may be.
 */
async function refusalFor(uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme === 'untitled') return undefined;
  if (!vscode.workspace.getWorkspaceFolder(uri)) {
    return vscode.l10n.t('{0} is outside the workspace, so it was not attached. Open its folder in the workspace to attach it.', nameOf(uri));
  }
  if (await isGitIgnored(uri)) {
    return vscode.l10n.t('{0} is ignored by git (.gitignore), so it was not attached.', nameOf(uri));
  }
  return undefined;
}

/** A text document (open or opened) as an item, unless it is refused. */
export async function documentItem(document: vscode.TextDocument): Promise<Gathered> {
  const refused = await refusalFor(document.uri);
  if (refused) return { refused };
  return { item: contextItem('file', fileLabelOf(document), document.getText(), document.languageId) };
}

/** A file of the workspace, read from the disk unless it is open: refused when binary, ignored or outside. */
export async function fileItem(uri: vscode.Uri): Promise<Gathered> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return documentItem(open);
  const refused = await refusalFor(uri);
  if (refused) return { refused };
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    return { refused: vscode.l10n.t('{0} is a binary file, so it was not attached.', nameOf(uri)) };
  }
  const document = await vscode.workspace.openTextDocument(uri);
  return documentItem(document);
}

export async function activeFileItem(): Promise<Gathered> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) return { refused: vscode.l10n.t('No file is open in an editor.') };
  return documentItem(editor.document);
}

export async function selectionItem(): Promise<Gathered> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  const selection = editor?.selection;
  if (!editor || !selection || selection.isEmpty) return { refused: vscode.l10n.t('Nothing is selected in an editor.') };
  const refused = await refusalFor(editor.document.uri);
  if (refused) return { refused };
  const first = selection.start.line + 1;
  const last = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
  const lines = first === last ? `${first}` : `${first}-${last}`;
  return { item: contextItem('selection', `${fileLabelOf(editor.document)}:${lines}`, editor.document.getText(selection), editor.document.languageId) };
}

function severityWord(severity: vscode.DiagnosticSeverity): string {
  return ['error', 'warning', 'info', 'hint'][severity] ?? 'problem';
}

/** One problem per line, as the Problems view lists it: file, line and column, severity, source and code, message. */
export function problemLine(label: string, diagnostic: vscode.Diagnostic): string {
  const origin = problemOrigin(diagnostic);
  const where = `${label}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
  return `${where} ${severityWord(diagnostic.severity)}${origin ? ` (${origin})` : ''}: ${diagnostic.message.replace(/\s*\n\s*/g, ' ')}`;
}

/** The Problems of the active file (`scope: 'file'`) or of every file of the workspace. */
export function problemsItem(scope: 'file' | 'workspace'): Gathered {
  const lines: string[] = [];
  let label: string;
  if (scope === 'file') {
    const document = (vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0])?.document;
    if (!document) return { refused: vscode.l10n.t('No file is open in an editor.') };
    const fileLabel = fileLabelOf(document);
    for (const diagnostic of vscode.languages.getDiagnostics(document.uri)) lines.push(problemLine(fileLabel, diagnostic));
    label = vscode.l10n.t('Problems: {0}', fileLabel);
  } else {
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      // Problems of files outside the workspace (a library's, say) are not the user's to send.
      if (uri.scheme === 'file' && !vscode.workspace.getWorkspaceFolder(uri)) continue;
      const fileLabel = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      for (const diagnostic of diagnostics) lines.push(problemLine(fileLabel, diagnostic));
    }
    label = vscode.l10n.t('Problems in the workspace');
  }
  if (lines.length === 0) return { refused: scope === 'file' ? vscode.l10n.t('The active file has no problems.') : vscode.l10n.t('The workspace has no problems.') };
  return { item: contextItem('problems', `${label} (${lines.length})`, lines.join('\n'), 'text') };
}

/** The working-tree (`staged: false`) or staged changes of the git repository of the active file, else the first one. */
export async function changesItem(staged: boolean): Promise<Gathered> {
  const found = await gitRepositoryFor(vscode.window.activeTextEditor?.document.uri);
  if ('refused' in found) return found;
  const diff = await found.repository.diff(staged);
  if (!diff.trim()) {
    return { refused: staged ? vscode.l10n.t('There are no staged changes.') : vscode.l10n.t('There are no working-tree changes.') };
  }
  const name = nameOf(found.repository.rootUri);
  return { item: contextItem('changes', staged ? vscode.l10n.t('Staged changes: {0}', name) : vscode.l10n.t('Working-tree changes: {0}', name), diff, 'diff') };
}
