// The size limit of the conversation history: over it, the oldest conversations are offered for export, then removed.
import * as vscode from 'vscode';
import { CONFIG_SECTION, Setting } from '../constants';
import type { ComponentLogger } from '../util/logger';
import type { Conversation } from './conversation';
import type { ConversationStore, ConversationSummary } from './conversationStore';
import { exportConversationsTo } from './exportConversation';

const MB = 1024 * 1024;
export const DEFAULT_HISTORY_LIMIT_MB = 100;

function limitBytes(): number {
  const value = vscode.workspace.getConfiguration(CONFIG_SECTION).get<number>(Setting.HistorySizeLimitMB, DEFAULT_HISTORY_LIMIT_MB);
  return (typeof value === 'number' && Number.isFinite(value) && value >= 1 ? value : DEFAULT_HISTORY_LIMIT_MB) * MB;
}

function megabytes(bytes: number): string {
  return (bytes / MB).toLocaleString(vscode.env.language, { maximumFractionDigits: 1 });
}

/**
 * Nothing is ever dropped without the user's choice: over the limit, the user is asked once per window whether to
 * export the oldest conversations (then remove them) or remove them; dismissing keeps everything until next time.
 */
export class HistoryLimit {
  private asking = false;
  private answered = false;

  constructor(
    private readonly keep: () => ReadonlySet<string>,
    private readonly save: () => Promise<void>,
    private readonly log: ComponentLogger,
  ) {}

  /** Checks the total against `anyapi.historySizeLimitMB`; asks (at most once per window) when it is over. */
  check(store: ConversationStore): void {
    if (this.asking || this.answered) return;
    const limit = limitBytes();
    const total = store.totalBytes();
    if (total <= limit) return;
    // Down to 90 % of the limit, so the next answers do not bring the question straight back.
    const oldest = store.oldestOver(limit * 0.9, this.keep());
    if (oldest.length === 0) return;
    this.asking = true;
    this.ask(store, total, limit, oldest)
      .catch((error: unknown) => this.log.error(error))
      .finally(() => (this.asking = false));
  }

  private async ask(store: ConversationStore, total: number, limit: number, oldest: readonly ConversationSummary[]): Promise<void> {
    const freed = oldest.reduce((sum, summary) => sum + summary.bytes, 0);
    const exportAndRemove = vscode.l10n.t('Export and Remove…');
    const remove = vscode.l10n.t('Remove');
    const change = vscode.l10n.t('Change Limit');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The conversations of this workspace take {0} MB, more than the {1} MB of anyapi.historySizeLimitMB. Export the {2} oldest ({3} MB) to Markdown and remove them, or remove them? Nothing is removed until you choose.',
        megabytes(total),
        megabytes(limit),
        oldest.length,
        megabytes(freed),
      ),
      exportAndRemove,
      remove,
      change,
    );
    if (choice === change) {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${CONFIG_SECTION}.${Setting.HistorySizeLimitMB}`);
      return;
    }
    if (choice === undefined) return;
    const conversations = (await Promise.all(oldest.map((summary) => store.load(summary.id)))).filter(
      (conversation): conversation is Conversation => conversation !== undefined,
    );
    if (choice === exportAndRemove) {
      const folder = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        title: vscode.l10n.t('Export {0} Conversations to a Folder', conversations.length),
        openLabel: vscode.l10n.t('Export Here'),
      });
      if (!folder?.[0]) return;
      // Removed only once every file is written: a failed export removes nothing.
      await exportConversationsTo(folder[0], conversations);
      this.removeAll(store, conversations);
      await this.save();
      this.answered = true;
      void vscode.window.showInformationMessage(
        conversations.length === 1
          ? vscode.l10n.t('Exported “{0}” to {1} and removed it from the history.', conversations[0].title || vscode.l10n.t('Untitled conversation'), folder[0].fsPath)
          : vscode.l10n.t('Exported {0} conversations to {1} and removed them from the history.', conversations.length, folder[0].fsPath),
      );
      return;
    }
    const confirm = vscode.l10n.t('Remove');
    const sure = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the {0} oldest conversations without exporting them? This cannot be undone.', conversations.length),
      { modal: true },
      confirm,
    );
    if (sure !== confirm) return;
    this.removeAll(store, conversations);
    await this.save();
    this.answered = true;
  }

  private removeAll(store: ConversationStore, conversations: readonly Conversation[]): void {
    const keep = this.keep();
    for (const conversation of conversations) {
      if (!keep.has(conversation.id)) store.delete(conversation.id);
    }
    this.log.info(`Removed ${conversations.length} of the oldest conversations to stay under the history's size limit.`);
  }
}
