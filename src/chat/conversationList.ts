// The conversation list: the Show Conversations quick pick, and New Chat, switch, rename and delete behind it.
import * as vscode from 'vscode';
import { DisposableStore } from '../util/disposables';
import type { ChatSession } from './chatSession';
import { findInConversation } from './conversationSearch';
import type { ConversationStore } from './conversationStore';
import type { TurnRunner } from './turnRunner';

type Item = vscode.QuickPickItem & { id?: string };

interface ItemButtons {
  readonly rename: vscode.QuickInputButton;
  readonly delete: vscode.QuickInputButton;
}

/**
 * New Chat first, then every conversation with at least one question, each with its rename and delete buttons. With a
 * query, conversations read so far are searched through (all are, once the user types: see `show`).
 */
function conversationItems(store: ConversationStore, buttons: ItemButtons, query = ''): Item[] {
  const activeId = store.active().id;
  const items: Item[] = [{ label: `$(add) ${vscode.l10n.t('New Chat')}`, alwaysShow: true }];
  for (const conversation of store.list()) {
    if (conversation.turns === 0) continue;
    const summary = vscode.l10n.t({
      message: '{0} questions · {1}',
      args: [conversation.turns, new Date(conversation.updatedAt).toLocaleString(vscode.env.language)],
      comment: ['{0} number of questions, {1} date and time of the last change'],
    });
    // A match in what was asked or answered: shown with its context, whatever the quick pick's own filter says.
    const full = query ? store.get(conversation.id) : undefined;
    const found = full ? findInConversation(full, query) : undefined;
    items.push({
      id: conversation.id,
      label: conversation.title || vscode.l10n.t('Untitled conversation'),
      description: conversation.id === activeId ? vscode.l10n.t('current') : undefined,
      detail: found ? `$(search) ${found}` : summary,
      ...(found ? { alwaysShow: true } : {}),
      buttons: [buttons.rename, buttons.delete],
    });
  }
  return items;
}

/** Switching, starting, renaming and deleting conversations; a running answer is stopped before its conversation goes. */
export class ConversationList {
  constructor(
    private readonly session: ChatSession,
    private readonly runner: TurnRunner,
  ) {}

  /** The conversation list: pick to switch, buttons to rename and delete. Resolves when the list closes. */
  async show(): Promise<void> {
    await this.session.refresh();
    const store = await this.session.store();
    const buttons: ItemButtons = {
      rename: { iconPath: new vscode.ThemeIcon('edit'), tooltip: vscode.l10n.t('Rename') },
      delete: { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Delete') },
    };
    const subscriptions = new DisposableStore();
    const pick = subscriptions.add(vscode.window.createQuickPick<Item>());
    pick.title = vscode.l10n.t('AnyAPI Conversations');
    pick.placeholder = vscode.l10n.t('Search titles, questions and answers; pick to switch, or rename or delete one');
    pick.matchOnDetail = true;
    pick.items = conversationItems(store, buttons);
    let everyoneRead: Promise<unknown> | undefined;
    const update = (): void => {
      const value = pick.value;
      if (value && !everyoneRead) {
        // The first search reads every conversation's file; the list shows the matches once they are read.
        pick.busy = true;
        everyoneRead = store.loadAll().finally(() => {
          pick.busy = false;
          pick.items = conversationItems(store, buttons, pick.value);
        });
      }
      pick.items = conversationItems(store, buttons, value);
    };
    subscriptions.add(pick.onDidChangeValue(update));
    // Another window added, renamed or removed one while the list is open.
    subscriptions.add(this.session.onDidChangeElsewhere(update));
    const done = new Promise<void>((resolve) => {
      subscriptions.add(
        pick.onDidAccept(() => {
          const id = pick.selectedItems[0]?.id;
          pick.hide();
          (id ? this.switchTo(id) : this.newChat()).catch((error: unknown) => this.session.log.error(error));
        }),
      );
      subscriptions.add(pick.onDidTriggerItemButton((event) => this.onItemButton(pick, buttons, event)));
      subscriptions.add(
        pick.onDidHide(() => {
          subscriptions.dispose();
          resolve();
        }),
      );
    });
    pick.show();
    await done;
  }

  private async onItemButton(pick: vscode.QuickPick<Item>, buttons: ItemButtons, event: vscode.QuickPickItemButtonEvent<Item>): Promise<void> {
    try {
      const id = event.item.id;
      if (!id) return;
      if (event.button === buttons.rename) {
        pick.hide();
        await this.rename(id);
      } else if (event.button === buttons.delete) {
        pick.hide();
        await this.delete(id);
      }
    } catch (error) {
      this.session.log.error(error);
    }
  }

  async newChat(): Promise<void> {
    await this.runner.stopAndWait();
    const conversation = (await this.session.store()).startNew();
    this.session.postConversation(conversation);
    await this.session.reveal(false);
  }

  async switchTo(id: string): Promise<void> {
    const store = await this.session.store();
    if (store.active().id !== id) {
      await this.runner.stopAndWait();
    }
    const conversation = await store.setActive(id);
    if (!conversation) return;
    this.session.postConversation(conversation);
    await this.session.reveal(false);
  }

  async rename(id: string): Promise<void> {
    const store = await this.session.store();
    const conversation = await store.load(id);
    if (!conversation) return;
    const title = await vscode.window.showInputBox({
      title: vscode.l10n.t('Rename Conversation'),
      value: conversation.title,
      prompt: vscode.l10n.t('A name for this conversation'),
    });
    if (title === undefined) return;
    store.rename(id, title);
    await this.session.save(conversation);
    if (store.active().id === id) {
      this.session.postConversation(conversation);
    }
  }

  async delete(id: string): Promise<void> {
    const store = await this.session.store();
    const conversation = store.list().find((summary) => summary.id === id);
    if (!conversation) return;
    const remove = vscode.l10n.t('Delete');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete the conversation “{0}”?', conversation.title || vscode.l10n.t('Untitled conversation')),
      { modal: true },
      remove,
    );
    if (choice !== remove) return;
    if (this.runner.isRunningIn(id)) {
      await this.runner.stopAndWait();
    }
    const wasActive = store.active().id === id;
    store.delete(id);
    await this.session.save();
    if (wasActive) {
      this.session.postConversation(store.active());
    }
  }
}
