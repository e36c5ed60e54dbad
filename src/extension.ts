import type * as vscode from 'vscode';
import { ChatController } from './chat/chatController';
import { registerChatView } from './chat/registerChatView';
import { registerCommands } from './commands/index';
import { watchClientSettings } from './config/clientOptions';
import { KeyStore } from './config/keyStore';
import type { ModelStatus } from './statusBar/modelStatusBar';
import { registerModelStatusBar } from './statusBar/modelStatusBar';
import type { Services } from './services';
import { ActivityTracker } from './util/activity';
import { closeApiConnections, isApiLoaded } from './util/loadApi';
import { Logger } from './util/logger';

/** What the extension exposes to other extensions and to its own integration tests. Never the key. */
export interface AnyApiExtensionApi {
  hasApiKey(): Promise<boolean>;
  isClientLoaded(): boolean;
  /** What the model status-bar item shows (text, tooltip, command). */
  modelStatus(): ModelStatus;
}

export function activate(context: vscode.ExtensionContext): AnyApiExtensionApi {
  const logger = new Logger();
  const keyStore = new KeyStore(context.secrets, logger);
  const activity = new ActivityTracker();
  context.subscriptions.push(logger, keyStore, activity);
  const chat = new ChatController(context, logger, keyStore, activity);
  const services: Services = { context, logger, keyStore, activity, chat };

  registerCommands(services);
  const modelStatus = registerModelStatusBar(services);
  registerChatView(services);
  watchClientSettings(context);
  void keyStore.offerMoveFromSettings().catch((error: unknown) => logger.forComponent('key').error(error));

  return { hasApiKey: () => keyStore.has(), isClientLoaded: isApiLoaded, modelStatus };
}

export function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions.
  return closeApiConnections();
}
