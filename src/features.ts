// Everything that waits for first use: the chat, the commands' work, the edit flow and the road to the API. Built as
// its own bundle, dist/features.js, which dist/extension.js requires when a command runs or the chat view opens; the
// modules both need (key store, logger, settings, status bar, light bulb) are the startup bundle's, shared.
import type * as vscode from 'vscode';
import { ChatController } from './chat/chatController';
import { registerChatView } from './chat/registerChatView';
import { registerCommands } from './commands/index';
import { registerEditCommands } from './edit/registerEdit';
import { watchClientSettings } from './requests/clientOptions';
import { closeApiConnections, isApiLoaded } from './requests/loadApi';
import { RequestService } from './requests/requestService';
import type { Services, StartupServices } from './services';
import { DisposableStore } from './util/disposables';

/** What the startup bundle reaches through once the features are loaded. */
export interface Features extends vscode.Disposable {
  /** The chat view's provider, which the startup bundle's registration hands the view to. */
  readonly chatView: vscode.WebviewViewProvider;
  isApiLoaded(): boolean;
  /** Deactivation: the streaming answer ends as interrupted and is saved, then pooled sockets close. */
  shutdown(): Promise<void>;
}

/**
 * Builds the features and registers their commands under the ids the startup bundle held for them (it disposes its
 * stand-ins first).
 */
export function loadFeatures(startup: StartupServices): Features {
  const store = new DisposableStore();
  const { context, logger, keyStore, activity, terminals } = startup;
  let chat: ChatController;
  let chatView: ReturnType<typeof registerChatView>;
  try {
    const requests = new RequestService({ keyStore, logger, activity, globalState: context.globalState });
    const services: Services = { context, logger, keyStore, activity, requests };
    chat = store.add(new ChatController(context, logger, keyStore, requests, terminals));
    store.add(registerCommands(services, chat));
    store.add(registerEditCommands(services));
    chatView = store.add(registerChatView(services, chat));
    store.add(watchClientSettings());
  } catch (error) {
    // Nothing half registered stays: the startup bundle puts its stand-ins back under the same ids.
    store.dispose();
    throw error;
  }
  return {
    chatView: chatView.provider,
    isApiLoaded,
    shutdown: async () => {
      await chat.shutdown().catch(() => undefined);
      await closeApiConnections();
    },
    dispose: () => store.dispose(),
  };
}
