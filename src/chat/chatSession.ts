// The state the parts of the chat share: the conversation store, saving it, other windows' changes, and the chat view.
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { HostMessage } from '../shared/protocol';
import type { ComponentLogger } from '../util/logger';
import { CHAT_VIEW_ID } from '../constants';
import type { ChatViewProvider } from '../webview/chatViewProvider';
import type { Conversation } from './conversation';
import { toConversationView } from './conversation';
import { ConversationFiles } from './conversationFiles';
import type { SetAsideFile } from './conversationStore';
import { ConversationStore } from './conversationStore';
import { HistoryLimit } from './historyLimit';

/** Other windows' writes come in bursts (a file, then the index): one look after they settle. */
const REFRESH_DELAY_MS = 150;

/** What is running in this window, told by the turn runner. */
export type RunningAnswer = () => { readonly conversationId: string; readonly turnId: string } | undefined;

/** Nothing heavy happens before first use: history is read when something first asks for the store. */
export class ChatSession implements vscode.Disposable {
  private opening: Promise<ConversationStore> | undefined;
  private storeInstance: ConversationStore | undefined;
  private provider: ChatViewProvider | undefined;
  private running: RunningAnswer = () => undefined;
  private readonly files: ConversationFiles | undefined;
  private readonly pendingRefresh = new Set<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private saveFailureShown = false;
  private shownId: string | undefined;
  private readonly changeListeners = new Set<(ids: ReadonlySet<string>) => void>();
  private readonly limit: HistoryLimit;

  constructor(
    private readonly state: vscode.Memento,
    /** The folder of this workspace's conversation files; undefined keeps them only while the window is open. */
    storageDir: string | undefined,
    readonly log: ComponentLogger,
  ) {
    this.files = storageDir ? new ConversationFiles(storageDir) : undefined;
    this.limit = new HistoryLimit(
      () => {
        const keep = new Set<string>();
        const running = this.running()?.conversationId;
        if (running) keep.add(running);
        const shown = this.storeInstance?.active().id;
        if (shown) keep.add(shown);
        return keep;
      },
      () => this.save(),
      log,
    );
  }

  attach(provider: ChatViewProvider): void {
    this.provider = provider;
  }

  /** Tells the store which answer runs here (its turn is never replaced by another window's copy). */
  setRunning(running: RunningAnswer): void {
    this.running = running;
  }

  /** The conversations, read on first use. */
  store(): Promise<ConversationStore> {
    this.opening ??= this.open();
    return this.opening;
  }

  /** The store once `store()` has resolved (the snapshot, which is synchronous, comes after). */
  loadedStore(): ConversationStore {
    if (!this.storeInstance) throw new Error('The conversations are not read yet.');
    return this.storeInstance;
  }

  private async open(): Promise<ConversationStore> {
    const options = {
      state: this.state,
      newId: randomUUID,
      onSetAside: (file: SetAsideFile) => this.reportSetAside(file),
      running: () => this.running(),
    };
    let store: ConversationStore;
    try {
      store = await ConversationStore.open({ ...options, files: this.files });
    } catch (error) {
      // The folder cannot be read or made: the window still chats, and says its conversations are not kept.
      this.log.error(error);
      void vscode.window.showWarningMessage(
        vscode.l10n.t('AnyAPI cannot read or write its conversation folder: conversations in this window are not kept after it closes.'),
      );
      store = await ConversationStore.open(options);
    }
    store.onDidChange((ids) => this.onOtherWindow(store, ids));
    this.files?.watch((id) => this.scheduleRefresh(id));
    this.storeInstance = store;
    this.limit.check(store);
    return store;
  }

  /** Another window's change: picked up once it settles. */
  private scheduleRefresh(id: string): void {
    this.pendingRefresh.add(id);
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      const ids = [...this.pendingRefresh];
      this.pendingRefresh.clear();
      const store = this.storeInstance;
      store
        ?.refresh(ids)
        // A conversation this window still had to write (its file was broken, or removed while it changed here).
        .then(() => (store.hasChanges ? this.save() : undefined))
        .catch((error: unknown) => this.log.error(error));
    }, REFRESH_DELAY_MS);
  }

  /** Looks for other windows' changes now (where the folder cannot be watched, this is when they come in). */
  async refresh(): Promise<void> {
    try {
      await (await this.store()).refresh();
    } catch (error) {
      this.log.error(error);
    }
  }

  /** Called with the ids of conversations another window changed, after they are merged here. */
  onDidChangeElsewhere(listener: (ids: ReadonlySet<string>) => void): vscode.Disposable {
    this.changeListeners.add(listener);
    return new vscode.Disposable(() => this.changeListeners.delete(listener));
  }

  private onOtherWindow(store: ConversationStore, ids: ReadonlySet<string>): void {
    const shown = store.active();
    // Removed elsewhere, the view moves on to another; changed elsewhere, it shows the change. Not while an answer
    // streams into it: its turns are merged now and shown when the answer ends.
    const replaced = this.shownId !== undefined && this.shownId !== shown.id;
    if ((ids.has(shown.id) || replaced) && this.running()?.conversationId !== shown.id) this.postConversation(shown);
    for (const listener of [...this.changeListeners]) listener(ids);
  }

  /** The view's snapshot shows `conversation`. */
  noteShown(conversation: Conversation): void {
    this.shownId = conversation.id;
  }

  private reportSetAside(file: SetAsideFile): void {
    this.log.warn(`A conversation file could not be read (${file.reason}) and was set aside as ${file.path}.`);
    const open = vscode.l10n.t('Open File');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t('A conversation could not be read and was set aside as {0}. The other conversations are not affected.', file.path),
        open,
      )
      .then((choice) => (choice === open ? vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file.path)) : undefined));
  }

  /** Saves what changed, if the conversations were read at all (on shutdown: nothing to save otherwise). */
  async saveIfOpen(): Promise<void> {
    if (this.opening) await this.save();
  }

  /** Saves what changed (`changed`, and anything marked before); a failure is logged and said once, never thrown. */
  async save(changed?: Conversation): Promise<void> {
    try {
      const store = await this.store();
      if (changed) store.markChanged(changed.id);
      await store.save();
      this.saveFailureShown = false;
      this.limit.check(store);
    } catch (error) {
      this.log.error(error);
      if (!this.saveFailureShown) {
        this.saveFailureShown = true;
        void vscode.window.showWarningMessage(
          vscode.l10n.t(
            'AnyAPI could not save the conversation: {0}. It is kept in this window and saved again with the next change.',
            error instanceof Error ? error.message : String(error),
          ),
        );
      }
    }
  }

  post(message: HostMessage): void {
    this.provider?.post(message);
  }

  /** Shows `conversation` in the view, replacing what it showed. */
  postConversation(conversation: Conversation): void {
    this.shownId = conversation.id;
    this.post({ type: 'conversation', conversation: toConversationView(conversation) });
  }

  /** Opens the chat view (focusing its input unless `preserveFocus`). */
  async reveal(preserveFocus = false): Promise<void> {
    if (!this.provider?.show(preserveFocus)) {
      await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    }
    if (!preserveFocus) {
      this.post({ type: 'focusInput' });
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.files?.unwatch();
  }
}
