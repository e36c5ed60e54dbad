import type * as vscode from 'vscode';
import type { ChatController } from './chat/chatController';
import type { KeyStore } from './config/keyStore';
import type { ActivityTracker } from './util/activity';
import type { Logger } from './util/logger';

/** What commands and views share: built once in activate(). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly logger: Logger;
  readonly keyStore: KeyStore;
  /** Every request to AnyAPI goes through `activity.track()` so the status bar shows it and its usage. */
  readonly activity: ActivityTracker;
  /** The chat view: `chat.ask()` streams an answer to a question (with quoted code) into it. */
  readonly chat: ChatController;
}
