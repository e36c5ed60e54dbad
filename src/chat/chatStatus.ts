// The chat view's status line: whether a key is set and which model answers, re-sent whenever either changes
// (the key, the settings, workspace trust, or the editor the settings are read for).
import * as vscode from 'vscode';
import { affectsExtension, readConfig } from '../config/config';
import type { KeyStore } from '../config/keyStore';
import { isSecretStorageUnavailable } from '../config/keyStore';
import type { StatusView } from '../shared/protocol';
import { DisposableStore } from '../util/disposables';
import type { ChatSession } from './chatSession';

/** Keeps whether a key exists cached, so the view's snapshot is built synchronously. */
export class ChatStatus implements vscode.Disposable {
  private hasKeyCache: boolean | undefined;
  private secretStorageProblem: string | undefined;
  /** What the view was last given, so switching editors re-sends only when the model differs. */
  private shown: StatusView | undefined;
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly keyStore: KeyStore,
    private readonly session: ChatSession,
    /** The editor the settings are read for (the one the user last worked in). */
    private readonly scope: () => vscode.Uri | undefined,
  ) {
    this.disposables.add(keyStore.onDidChange(() => this.post()));
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsExtension(event)) {
          this.post();
        }
      }),
    );
    this.disposables.add(vscode.workspace.onDidGrantWorkspaceTrust(() => this.post()));
    // The scope follows this same event: read it once every listener has run, whatever their order.
    this.disposables.add(vscode.window.onDidChangeActiveTextEditor(() => queueMicrotask(() => this.postIfModelChanged())));
  }

  /** Reads whether a key exists, for `current()`. */
  async prepare(): Promise<void> {
    try {
      this.hasKeyCache = await this.keyStore.has();
      this.secretStorageProblem = undefined;
    } catch (error) {
      // The view must start all the same: it says what is wrong, and everything that needs no key keeps working.
      this.hasKeyCache = false;
      this.secretStorageProblem = isSecretStorageUnavailable(error) ? error.message : String(error);
    }
  }

  current(): StatusView {
    this.shown = {
      hasKey: this.hasKeyCache ?? false,
      model: readConfig(this.scope()).model,
      ...(this.secretStorageProblem ? { secretStorageProblem: this.secretStorageProblem } : {}),
    };
    return this.shown;
  }

  /** After an editor switch: re-sent only when the model differs (a view not given one yet reads it in its snapshot). */
  private postIfModelChanged(): void {
    if (this.shown && readConfig(this.scope()).model !== this.shown.model) {
      this.post();
    }
  }

  private post(): void {
    this.prepare()
      .then(() => this.session.post({ type: 'status', status: this.current() }))
      .catch((error: unknown) => this.session.log.error(error));
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
