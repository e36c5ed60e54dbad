import type * as vscode from 'vscode';
import type { TerminalCommands } from './attachments/terminal';
import type { KeyStore } from './config/keyStore';
import type { ActivityTracker } from './requests/activity';
import type { RequestService } from './requests/requestService';
import type { Logger } from './util/logger';

/** What activate() builds at startup, for the status bar and the light bulb, and hands to the features when they load. */
export interface StartupServices {
  readonly context: vscode.ExtensionContext;
  readonly logger: Logger;
  readonly keyStore: KeyStore;
  /** Requests under way and the session's usage, for the status bar. */
  readonly activity: ActivityTracker;
  /** The terminals' last commands, recorded from startup so that the first Add Context can offer them. */
  readonly terminals: TerminalCommands;
}

/** What commands and views share: built once when the features load. The chat is passed on its own to what uses it. */
export interface Services extends Omit<StartupServices, 'terminals'> {
  /** The one road to the API: every request goes through it. */
  readonly requests: RequestService;
}
