/** Problems (diagnostics) as something to explain or fix: their lines, the words that describe them, the light bulb. */
import * as vscode from 'vscode';
import { Command } from '../constants';
import { isReadOnly } from './codeTarget';

/** Lines shown above and below a problem when it is explained, so the model sees it in its surroundings. */
export const LINES_AROUND_PROBLEM = 3;

/** What the Explain and Fix commands take: a problem of a file, as the light bulb and the Problems view pass it. */
export interface ProblemRef {
  readonly uri: vscode.Uri;
  readonly diagnostic: vscode.Diagnostic;
}

export function parseProblem(uri: unknown, diagnostic: unknown): ProblemRef | undefined {
  if (!(uri instanceof vscode.Uri) || typeof diagnostic !== 'object' || diagnostic === null) return undefined;
  const { range, message } = diagnostic as Partial<vscode.Diagnostic>;
  if (!(range instanceof vscode.Range) || typeof message !== 'string') return undefined;
  return { uri, diagnostic: diagnostic as vscode.Diagnostic };
}

/**
 * The problem at the cursor of the active editor (the command palette's Explain or Fix Problem): the most severe one
 * on the cursor, else the most severe on its line.
 */
export function problemAtCursor(): ProblemRef | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const cursor = editor.selection.active;
  const all = vscode.languages.getDiagnostics(editor.document.uri);
  const bySeverity = (a: vscode.Diagnostic, b: vscode.Diagnostic): number => a.severity - b.severity;
  const onCursor = all.filter((diagnostic) => diagnostic.range.contains(cursor)).sort(bySeverity);
  const onLine = all.filter((diagnostic) => diagnostic.range.start.line <= cursor.line && diagnostic.range.end.line >= cursor.line).sort(bySeverity);
  const diagnostic = onCursor[0] ?? onLine[0];
  return diagnostic && { uri: editor.document.uri, diagnostic };
}

/**
 * The problem a command was given (from the light bulb or the Problems view), else the one at the cursor; undefined
 * after saying there is none.
 */
export function problemOrSay(uri: unknown, diagnostic: unknown): ProblemRef | undefined {
  const problem = parseProblem(uri, diagnostic) ?? problemAtCursor();
  if (!problem) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('There is no problem at the cursor. Put the cursor on a squiggle, or use the light bulb or the Problems view.'),
    );
  }
  return problem;
}

/** The selection-command arguments for a problem: its lines (with `around` more each side) and the instruction. */
export async function problemArgs(problem: ProblemRef, instruction: string, around: number): Promise<{ instruction: string; at: { uri: vscode.Uri; range: vscode.Range } }> {
  const document = await vscode.workspace.openTextDocument(problem.uri);
  return { instruction, at: { uri: problem.uri, range: problemLines(document, problem.diagnostic, around) } };
}

/** The problem's whole lines (what Fix replaces), and with `around` lines more on each side (what Explain quotes). */
export function problemLines(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, around = 0): vscode.Range {
  const range = document.validateRange(diagnostic.range);
  const first = Math.max(0, range.start.line - around);
  // A range ending at the start of a line does not take that line.
  const lastOfProblem = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  const last = Math.min(document.lineCount - 1, lastOfProblem + around);
  return new vscode.Range(first, 0, last, document.lineAt(last).range.end.character);
}

function severityName(severity: vscode.DiagnosticSeverity): string {
  switch (severity) {
    case vscode.DiagnosticSeverity.Error:
      return vscode.l10n.t('error');
    case vscode.DiagnosticSeverity.Warning:
      return vscode.l10n.t('warning');
    case vscode.DiagnosticSeverity.Information:
      return vscode.l10n.t('information');
    default:
      return vscode.l10n.t('hint');
  }
}

/** `ts 2322`, `eslint no-unused-vars`: who reported the problem and its code, if it has them. */
export function problemOrigin(diagnostic: vscode.Diagnostic): string {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return [diagnostic.source, code === undefined ? undefined : String(code)].filter((part) => part !== undefined && part !== '').join(' ');
}

/** The problem in one line, as the question shows it: `error (ts 2322) on line 4: Type 'string' is not…`. */
export function describeProblem(diagnostic: vscode.Diagnostic): string {
  const origin = problemOrigin(diagnostic);
  const line = diagnostic.range.start.line + 1;
  const message = diagnostic.message.trim();
  return origin
    ? vscode.l10n.t({ message: '{0} ({1}) on line {2}: {3}', args: [severityName(diagnostic.severity), origin, line, message], comment: ['{0} is error or warning, {1} who reported it and its code, {2} a line number, {3} the message'] })
    : vscode.l10n.t({ message: '{0} on line {1}: {2}', args: [severityName(diagnostic.severity), line, message], comment: ['{0} is error or warning, {1} a line number, {2} the message'] });
}

/** The question of Explain with AnyAPI, as the transcript shows it and the model reads it with the lines around. */
export function explainProblemQuestion(diagnostic: vscode.Diagnostic): string {
  return vscode.l10n.t('Explain this problem, what causes it here, and how to fix it: {0}', describeProblem(diagnostic));
}

/** The instruction of Fix with AnyAPI: the lines of the problem are rewritten so that it goes away. */
export function fixProblemInstruction(diagnostic: vscode.Diagnostic): string {
  return vscode.l10n.t('Fix this problem, changing as little as possible: {0}', describeProblem(diagnostic));
}

/** Beyond this many problems under the cursor, the light bulb offers the actions for the first ones only. */
const MAX_PROBLEMS_OFFERED = 3;

/** The light bulb (and the Problems view's context menu): Explain with AnyAPI and Fix with AnyAPI on each problem. */
export class ProblemActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.contains(context.only) && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const problems = context.diagnostics.slice(0, MAX_PROBLEMS_OFFERED);
    const several = problems.length > 1;
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of problems) {
      const short = shorten(diagnostic.message);
      const explain = new vscode.CodeAction(
        several ? vscode.l10n.t('Explain with AnyAPI: {0}', short) : vscode.l10n.t('Explain with AnyAPI'),
        vscode.CodeActionKind.QuickFix,
      );
      explain.diagnostics = [diagnostic];
      explain.command = { command: Command.ExplainProblem, title: explain.title, arguments: [document.uri, diagnostic] };
      actions.push(explain);
      if (isReadOnly(document)) continue;
      const fix = new vscode.CodeAction(several ? vscode.l10n.t('Fix with AnyAPI: {0}', short) : vscode.l10n.t('Fix with AnyAPI'), vscode.CodeActionKind.QuickFix);
      fix.diagnostics = [diagnostic];
      fix.command = { command: Command.FixProblem, title: fix.title, arguments: [document.uri, diagnostic] };
      actions.push(fix);
    }
    return actions;
  }
}

function shorten(message: string): string {
  const line = message.split(/\r?\n/)[0]?.trim() ?? '';
  return line.length > 50 ? `${line.slice(0, 49).trimEnd()}…` : line;
}
