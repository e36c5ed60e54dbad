import * as vscode from 'vscode';
import { ChatController } from './chat/chatController';
import { registerChatView } from './chat/registerChatView';
import { registerCommands } from './commands/index';
import { KeyStore } from './config/keyStore';
import { FailableSecretStorage } from './config/testSecrets';
import { registerEditCommands } from './edit/registerEdit';
import { ActivityTracker } from './requests/activity';
import { watchClientSettings } from './requests/clientOptions';
import { closeApiConnections, isApiLoaded } from './requests/loadApi';
import { RequestService } from './requests/requestService';
import type { Services } from './services';
import type { ModelStatus } from './statusBar/modelStatusBar';
import { registerModelStatusBar } from './statusBar/modelStatusBar';
import { DisposableStore } from './util/disposables';
import { Logger } from './util/logger';

/** What the extension exposes to other extensions and to its own integration tests. Never the key. */
export interface AnyApiExtensionApi {
  hasApiKey(): Promise<boolean>;
  isClientLoaded(): boolean;
  /** What the model status-bar item shows (text, tooltip, command). */
  modelStatus(): ModelStatus;
  /** Only in the extension's own tests: makes secret storage fail as it does without a keyring. */
  failSecretStorage?(failing: boolean): void;
}

/** What deactivate must finish before the extension host goes: the chat's interrupted answer and its save. */
let shutdownChat: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): AnyApiExtensionApi {
  const store = new DisposableStore();
  context.subscriptions.push(store);
  const logger = store.add(new Logger());
  const testSecrets = context.extensionMode === vscode.ExtensionMode.Test ? new FailableSecretStorage(context.secrets) : undefined;
  const keyStore = store.add(new KeyStore(testSecrets ?? context.secrets, logger));
  const activity = store.add(new ActivityTracker());
  const requests = new RequestService({ keyStore, logger, activity, globalState: context.globalState });
  const services: Services = { context, logger, keyStore, activity, requests };
  const chat = store.add(new ChatController(context, logger, keyStore, requests));
  shutdownChat = () => chat.shutdown();

  store.add(registerCommands(services, chat));
  store.add(registerEditCommands(services));
  const modelStatus = store.add(registerModelStatusBar(services));
  store.add(registerChatView(services, chat));
  store.add(watchClientSettings());
  void keyStore.offerMoveFromSettings().catch((error: unknown) => logger.forComponent('key').error(error));

  return {
    hasApiKey: () => keyStore.has(),
    isClientLoaded: isApiLoaded,
    modelStatus: () => modelStatus.current(),
    ...(testSecrets ? { failSecretStorage: (failing: boolean) => (testSecrets.failing = failing) } : {}),
  };
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions.
  await shutdownChat?.().catch(() => undefined);
  shutdownChat = undefined;
  await closeApiConnections();
}
