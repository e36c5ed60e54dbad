/** Add Context: the quick pick of what can be attached to the next question, and gathering what was picked. */
import * as vscode from 'vscode';
import type { ContextItem } from '../shared/protocol';
import { fileLabelOf } from '../selection/codeTarget';
import { gitIgnored } from './git';
import type { Gathered } from './sources';
import { activeFileItem, changesItem, contextItem, fileItem, problemsItem, selectionItem } from './sources';
import type { TerminalCommands } from './terminal';
import { commandAsText, terminalSelection } from './terminal';

export type ContextChoice =
  | 'activeFile'
  | 'openEditors'
  | 'workspaceFile'
  | 'selection'
  | 'problemsFile'
  | 'problemsWorkspace'
  | 'terminalSelection'
  | 'terminalCommand'
  | 'changes'
  | 'stagedChanges';

const CHOICES: readonly ContextChoice[] = [
  'activeFile',
  'openEditors',
  'workspaceFile',
  'selection',
  'problemsFile',
  'problemsWorkspace',
  'terminalSelection',
  'terminalCommand',
  'changes',
  'stagedChanges',
];

/** What Add Context takes from a keybinding or a test instead of asking: the choice, and the files for the file choices. */
export interface AddContextArgs {
  readonly choice: ContextChoice;
  readonly uris?: readonly vscode.Uri[];
}

export function parseAddContextArgs(value: unknown): AddContextArgs | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { choice, uris } = value as { choice?: unknown; uris?: unknown };
  if (typeof choice !== 'string' || !CHOICES.includes(choice as ContextChoice)) return undefined;
  const files = Array.isArray(uris) ? uris.filter((uri): uri is vscode.Uri => uri instanceof vscode.Uri) : undefined;
  return { choice: choice as ContextChoice, ...(files ? { uris: files } : {}) };
}

/** What was attached, and the sentences of what was refused. */
export interface Picked {
  readonly items: ContextItem[];
  readonly refused: string[];
}

/** Beyond this many files the workspace picker lists the first ones (the quick pick filters them as the user types). */
const MAX_LISTED_FILES = 5_000;

interface ChoiceItem extends vscode.QuickPickItem {
  readonly choice: ContextChoice;
}

/** The kinds, each with what it would attach now. */
function choiceItems(terminals: TerminalCommands): ChoiceItem[] {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  const fileDiagnostics = editor ? vscode.languages.getDiagnostics(editor.document.uri).length : 0;
  const workspaceDiagnostics = vscode.languages.getDiagnostics().reduce((sum, [, diagnostics]) => sum + diagnostics.length, 0);
  const last = terminals.lastCommand();
  const problems = (count: number): string => vscode.l10n.t('{0} problem(s)', count);
  return [
    { choice: 'activeFile', label: `$(file) ${vscode.l10n.t('Active File')}`, description: editor ? fileLabelOf(editor.document) : vscode.l10n.t('no file open') },
    { choice: 'openEditors', label: `$(files) ${vscode.l10n.t('Open Editors…')}` },
    { choice: 'workspaceFile', label: `$(search) ${vscode.l10n.t('File from the Workspace…')}` },
    {
      choice: 'selection',
      label: `$(selection) ${vscode.l10n.t('Selection')}`,
      description: editor && !editor.selection.isEmpty ? fileLabelOf(editor.document) : vscode.l10n.t('nothing selected'),
    },
    { choice: 'problemsFile', label: `$(warning) ${vscode.l10n.t('Problems in the Active File')}`, description: problems(fileDiagnostics) },
    { choice: 'problemsWorkspace', label: `$(warning) ${vscode.l10n.t('Problems in the Workspace')}`, description: problems(workspaceDiagnostics) },
    { choice: 'terminalSelection', label: `$(terminal) ${vscode.l10n.t('Terminal Selection')}` },
    {
      choice: 'terminalCommand',
      label: `$(terminal) ${vscode.l10n.t('Last Terminal Command and Output')}`,
      description: last ? last.commandLine : terminals.supported ? vscode.l10n.t('none yet') : vscode.l10n.t('needs shell integration'),
    },
    { choice: 'changes', label: `$(git-compare) ${vscode.l10n.t('Working-Tree Changes')}`, description: 'git diff' },
    { choice: 'stagedChanges', label: `$(git-compare) ${vscode.l10n.t('Staged Changes')}`, description: 'git diff --cached' },
  ];
}

async function pickOpenEditors(): Promise<vscode.Uri[] | undefined> {
  const seen = new Set<string>();
  const items: (vscode.QuickPickItem & { uri: vscode.Uri })[] = [];
  for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
    const input = tab.input;
    const uri = input instanceof vscode.TabInputText ? input.uri : undefined;
    if (!uri || seen.has(uri.toString())) continue;
    seen.add(uri.toString());
    items.push({ label: tab.label, description: vscode.workspace.asRelativePath(uri), uri, picked: tab.isActive });
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No file is open in an editor.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Attach Open Editors'), placeHolder: vscode.l10n.t('Pick the files to attach') });
  return picked?.map((item) => item.uri);
}

async function pickWorkspaceFiles(): Promise<vscode.Uri[] | undefined> {
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { uri: vscode.Uri }>();
  quickPick.title = vscode.l10n.t('Attach Files from the Workspace');
  quickPick.placeholder = vscode.l10n.t('Type to find a file; git-ignored files are not listed');
  quickPick.canSelectMany = true;
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  quickPick.show();
  try {
    const listing = (async () => {
      const files = await vscode.workspace.findFiles('**/*', undefined, MAX_LISTED_FILES);
      const ignored = await gitIgnored(files);
      quickPick.items = files
        .filter((uri) => !ignored.has(uri.toString()))
        .map((uri) => {
          const relative = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
          const slash = relative.lastIndexOf('/');
          return { label: relative.slice(slash + 1), description: slash > 0 ? relative.slice(0, slash) : '', uri };
        })
        .sort((a, b) => (a.description ?? '').localeCompare(b.description ?? '') || a.label.localeCompare(b.label));
      quickPick.busy = false;
    })();
    const chosen = await new Promise<vscode.Uri[] | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems.map((item) => item.uri)));
      quickPick.onDidHide(() => resolve(undefined));
    });
    await listing.catch(() => undefined);
    return chosen;
  } finally {
    quickPick.dispose();
  }
}

async function filesOf(uris: readonly vscode.Uri[]): Promise<Gathered[]> {
  const gathered: Gathered[] = [];
  for (const uri of uris) {
    try {
      gathered.push(await fileItem(uri));
    } catch (error) {
      gathered.push({ refused: vscode.l10n.t('{0} could not be read: {1}', uri.path.split('/').pop() ?? '', error instanceof Error ? error.message : String(error)) });
    }
  }
  return gathered;
}

async function gather(args: AddContextArgs, terminals: TerminalCommands): Promise<Gathered[] | undefined> {
  switch (args.choice) {
    case 'activeFile':
      return [await activeFileItem()];
    case 'openEditors': {
      const uris = args.uris ?? (await pickOpenEditors());
      return uris && filesOf(uris);
    }
    case 'workspaceFile': {
      const uris = args.uris ?? (await pickWorkspaceFiles());
      return uris && filesOf(uris);
    }
    case 'selection':
      return [await selectionItem()];
    case 'problemsFile':
      return [problemsItem('file')];
    case 'problemsWorkspace':
      return [problemsItem('workspace')];
    case 'terminalSelection': {
      const terminal = vscode.window.activeTerminal;
      const text = terminal ? await terminalSelection() : undefined;
      if (!terminal || text === undefined) return [{ refused: vscode.l10n.t('Nothing is selected in the terminal.') }];
      return [{ item: contextItem('terminal', vscode.l10n.t('Terminal selection: {0}', terminal.name), text, 'shell', true) }];
    }
    case 'terminalCommand': {
      const last = terminals.lastCommand();
      if (!last) {
        return [
          {
            refused: terminals.supported
              ? vscode.l10n.t('No terminal command was seen yet: run one in a terminal with shell integration, then attach it.')
              : vscode.l10n.t('This version of VS Code cannot read terminal commands (it needs shell integration, VS Code 1.93 or later). Select the output and attach the terminal selection instead.'),
          },
        ];
      }
      return [{ item: contextItem('terminal', vscode.l10n.t('Terminal: {0}', last.commandLine), commandAsText(last), 'shell', true) }];
    }
    case 'changes':
    case 'stagedChanges':
      return [await changesItem(args.choice === 'stagedChanges')];
  }
}

/**
 * Asks what to attach (unless `args` says) and gathers it. Undefined when the user cancelled; refused items are
 * reported in `refused`, one sentence each.
 */
export async function pickContext(terminals: TerminalCommands, args?: AddContextArgs): Promise<Picked | undefined> {
  let chosen = args;
  if (!chosen) {
    const picked = await vscode.window.showQuickPick(choiceItems(terminals), {
      title: vscode.l10n.t('Add Context'),
      placeHolder: vscode.l10n.t('What should the next question carry?'),
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    chosen = { choice: picked.choice };
  }
  const gathered = await gather(chosen, terminals);
  if (!gathered) return undefined;
  const items: ContextItem[] = [];
  const refused: string[] = [];
  for (const result of gathered) {
    if ('item' in result) items.push(result.item);
    else refused.push(result.refused);
  }
  return { items, refused };
}
