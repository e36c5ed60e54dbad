// The chat view's status line: whether a key is set and which model answers, re-sent whenever either changes.
import * as vscode from 'vscode';
import { affectsExtension, readConfig } from '../config/config';
import type { KeyStore } from '../config/keyStore';
import type { StatusView } from '../shared/protocol';
import { DisposableStore } from '../util/disposables';
import type { ChatSession } from './chatSession';

/** Keeps whether a key exists cached, so the view's snapshot is built synchronously. */
export class ChatStatus implements vscode.Disposable {
  private hasKeyCache: boolean | undefined;
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
  }

  /** Reads whether a key exists, for `current()`. */
  async prepare(): Promise<void> {
    this.hasKeyCache = await this.keyStore.has();
  }

  current(): StatusView {
    return { hasKey: this.hasKeyCache ?? false, model: readConfig(this.scope()).model };
  }

  private post(): void {
    this.keyStore
      .has()
      .then((hasKey) => {
        this.hasKeyCache = hasKey;
        this.session.post({ type: 'status', status: this.current() });
      })
      .catch((error: unknown) => this.session.log.error(error));
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
