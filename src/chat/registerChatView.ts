import * as vscode from 'vscode';
import { Command } from '../constants';
import type { Services } from '../services';
import { registerCommand } from '../util/registerCommand';
import { CHAT_VIEW_ID, ChatViewProvider } from '../webview/chatViewProvider';

/** Commands of the chat view's title bar (not in the palette's main list of features, but available there). */
export const enum ChatCommand {
  ShowConversations = 'anyapi.showConversations',
  ExportConversation = 'anyapi.exportConversation',
}

/** Registers the chat view and its commands; everything is owned by the extension context. */
export function registerChatView(services: Services): void {
  const { context, chat } = services;
  const log = services.logger.forComponent('chat');
  const provider = new ChatViewProvider(context.extensionUri, chat, services.logger.forComponent('chatView'));
  chat.attach(provider);
  context.subscriptions.push(
    chat,
    provider,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider),
  );
  const register = (id: string, handler: () => Promise<unknown>): void => registerCommand(context.subscriptions, log, id, handler);
  register(Command.OpenChat, () => chat.reveal(false));
  register(Command.NewChat, () => chat.newChat());
  register(ChatCommand.ShowConversations, () => chat.showConversations());
  register(ChatCommand.ExportConversation, () => chat.exportConversation());
}
