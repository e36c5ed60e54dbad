import type * as vscode from 'vscode';
import { Command } from '../constants';
import { registerCommand } from '../commands/registerCommand';
import type { Services } from '../services';
import { DisposableStore } from '../util/disposables';
import type { ChatController } from './chatController';
import { ChatViewProvider } from '../webview/chatViewProvider';

/** Commands of the chat view's title bar (not in the palette's main list of features, but available there). */
export const enum ChatCommand {
  ShowConversations = 'anyapi.showConversations',
  ExportConversation = 'anyapi.exportConversation',
}

/** The chat view's provider and commands, for the features to own. */
export interface ChatViewRegistration extends vscode.Disposable {
  /** Registered at startup (src/extension.ts), which hands it each view to resolve. */
  readonly provider: ChatViewProvider;
}

/** Builds the chat view's provider and registers the view's commands. */
export function registerChatView(services: Services, chat: ChatController): ChatViewRegistration {
  const store = new DisposableStore();
  const log = services.logger.forComponent('chat');
  const provider = store.add(new ChatViewProvider(services.context.extensionUri, chat, services.logger.forComponent('chatView')));
  chat.attach(provider);
  const register = (id: string, handler: () => Promise<unknown>): void => void store.add(registerCommand(log, id, handler));
  register(Command.OpenChat, () => chat.reveal(false));
  register(Command.NewChat, () => chat.newChat());
  register(ChatCommand.ShowConversations, () => chat.showConversations());
  register(ChatCommand.ExportConversation, () => chat.exportConversation());
  return { provider, dispose: () => store.dispose() };
}
