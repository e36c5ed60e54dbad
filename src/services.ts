import type * as vscode from 'vscode';
import type { KeyStore } from './config/keyStore';
import type { Logger } from './util/logger';

/** What commands and views share: built once in activate(). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly logger: Logger;
  readonly keyStore: KeyStore;
}
