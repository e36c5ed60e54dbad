import type * as vscode from 'vscode';
import type { KeyStore } from './config/keyStore';
import type { ActivityTracker } from './requests/activity';
import type { RequestService } from './requests/requestService';
import type { Logger } from './util/logger';

/** What commands and views share: built once in activate(). The chat is passed on its own to what uses it. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly logger: Logger;
  readonly keyStore: KeyStore;
  /** Requests under way and the session's usage, for the status bar. */
  readonly activity: ActivityTracker;
  /** The one road to the API: every request goes through it. */
  readonly requests: RequestService;
}
