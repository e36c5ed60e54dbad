// Export to Markdown: a conversation written, with translated labels, where the user's save dialog says.
import * as vscode from 'vscode';
import type { Conversation } from './conversation';
import { conversationToMarkdown, exportFileName } from './conversation';

/** The conversation as Markdown, with the labels in the user's language. */
export function conversationMarkdown(conversation: Conversation): string {
  return conversationToMarkdown(conversation, {
    untitled: vscode.l10n.t('Untitled conversation'),
    user: vscode.l10n.t('You'),
    assistant: vscode.l10n.t('AnyAPI'),
    stopped: vscode.l10n.t('Stopped'),
    interrupted: vscode.l10n.t('Interrupted'),
    incomplete: vscode.l10n.t('The answer was cut short'),
    failed: vscode.l10n.t('Failed:'),
    model: vscode.l10n.t('model'),
    context: vscode.l10n.t('Attached context'),
  });
}

/**
 * Writes each conversation as a Markdown file into `folder`, under its title (numbered where two would share a name,
 * never over a file already there). Returns the files written.
 */
export async function exportConversationsTo(folder: vscode.Uri, conversations: readonly Conversation[]): Promise<vscode.Uri[]> {
  const written: vscode.Uri[] = [];
  const taken = new Set((await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name.toLowerCase()));
  for (const conversation of conversations) {
    const name = exportFileName(conversation, 'anyapi-chat');
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = name.replace(/\.md$/, ` (${n}).md`);
    taken.add(candidate.toLowerCase());
    const target = vscode.Uri.joinPath(folder, candidate);
    await vscode.workspace.fs.writeFile(target, Buffer.from(conversationMarkdown(conversation), 'utf8'));
    written.push(target);
  }
  return written;
}

/** Asks where to save `conversation` as Markdown and writes it there. Returns the file written, if any. */
export async function exportConversationToMarkdown(conversation: Conversation): Promise<vscode.Uri | undefined> {
  if (conversation.turns.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This conversation is empty: there is nothing to export yet.'));
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = exportFileName(conversation, 'anyapi-chat');
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Conversation to Markdown'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { Markdown: ['md'] },
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, Buffer.from(conversationMarkdown(conversation), 'utf8'));
  void vscode.window.showInformationMessage(vscode.l10n.t('Conversation exported to {0}.', vscode.workspace.asRelativePath(target)));
  return target;
}
