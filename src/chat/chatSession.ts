// The state the parts of the chat share: the conversation store, saving it, and the chat view.
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { HostMessage } from '../shared/protocol';
import type { ComponentLogger } from '../util/logger';
import { CHAT_VIEW_ID } from '../webview/chatViewProvider';
import type { ChatViewProvider } from '../webview/chatViewProvider';
import type { Conversation } from './conversation';
import { toConversationView } from './conversation';
import { ConversationStore } from './conversationStore';

/** Nothing heavy happens before first use: history is read when something first asks for the store. */
export class ChatSession {
  private storeInstance: ConversationStore | undefined;
  private provider: ChatViewProvider | undefined;

  constructor(
    private readonly storage: vscode.Memento,
    readonly log: ComponentLogger,
  ) {}

  attach(provider: ChatViewProvider): void {
    this.provider = provider;
  }

  store(): ConversationStore {
    this.storeInstance ??= new ConversationStore(this.storage, randomUUID);
    return this.storeInstance;
  }

  /** Whether the conversations were read at all (nothing to save otherwise). */
  get loaded(): boolean {
    return this.storeInstance !== undefined;
  }

  /** Saves the conversations; a failure is logged, never thrown. */
  async save(): Promise<void> {
    try {
      await this.store().save();
    } catch (error) {
      this.log.error(error);
    }
  }

  post(message: HostMessage): void {
    this.provider?.post(message);
  }

  /** Shows `conversation` in the view, replacing what it showed. */
  postConversation(conversation: Conversation): void {
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
}
