import * as vscode from 'vscode';
import { Command } from '../constants';
import { registerCommand } from '../commands/registerCommand';
import type { Services } from '../services';
import { DisposableStore } from '../util/disposables';
import type { ChatController } from './chatController';
import { CHAT_VIEW_ID, ChatViewProvider } from '../webview/chatViewProvider';

/** Commands of the chat view's title bar (not in the palette's main list of features, but available there). */
export const enum ChatCommand {
  ShowConversations = 'anyapi.showConversations',
  ExportConversation = 'anyapi.exportConversation',
}

/** Registers the chat view and its commands; returns them for activate() to own. */
export function registerChatView(services: Services, chat: ChatController): vscode.Disposable {
  const store = new DisposableStore();
  const log = services.logger.forComponent('chat');
  const provider = store.add(new ChatViewProvider(services.context.extensionUri, chat, services.logger.forComponent('chatView')));
  chat.attach(provider);
  store.add(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider));
  const register = (id: string, handler: () => Promise<unknown>): void => void store.add(registerCommand(log, id, handler));
  register(Command.OpenChat, () => chat.reveal(false));
  register(Command.NewChat, () => chat.newChat());
  register(ChatCommand.ShowConversations, () => chat.showConversations());
  register(ChatCommand.ExportConversation, () => chat.exportConversation());
  return store;
}
