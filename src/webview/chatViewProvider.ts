import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../shared/protocol';
import { isSupersededBySnapshot, parseWebviewMessage } from '../shared/protocol';
import type { ComponentLogger } from '../util/logger';
import { buildChatHtml } from './html';

/** What the provider needs from the chat controller. */
export interface ChatViewHost {
  /** Reads what the snapshot needs; `snapshot()` then runs synchronously, right before the queue is released. */
  prepareSnapshot(): Promise<void>;
  /** The full snapshot sent when a (new) webview says `ready`. */
  snapshot(): HostMessage;
  handleMessage(message: WebviewMessage): Promise<void>;
}

/**
 * The host side of the chat view: HTML and CSP, and the message channel. Messages are queued until the webview
 * says `ready`; those a fresh snapshot already contains are not queued (replaying them would show text twice).
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private queue: HostMessage[] = [];
  private viewDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: ChatViewHost,
    private readonly log: ComponentLogger,
  ) {}

  resolveWebviewView(webviewView: vscode.WebviewView): void {
    this.disposeView();
    this.view = webviewView;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const webview = webviewView.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, media] };
    webview.html = buildChatHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      language: vscode.env.language,
    });
    this.viewDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      webviewView.onDidDispose(() => {
        if (this.view === webviewView) {
          this.view = undefined;
          this.ready = false;
          this.disposeView();
        }
      }),
    );
  }

  get isReady(): boolean {
    return this.view !== undefined && this.ready;
  }

  post(message: HostMessage): void {
    if (this.view && this.ready) {
      void this.view.webview.postMessage(message);
    } else if (!isSupersededBySnapshot(message)) {
      this.queue.push(message);
    }
  }

  /** Shows the view if it exists already; returns false when the view has never been opened. */
  show(preserveFocus: boolean): boolean {
    if (!this.view) {
      return false;
    }
    this.view.show(preserveFocus);
    return true;
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn('Ignored a malformed message from the chat view.');
      return;
    }
    if (message.type === 'ready') {
      const view = this.view;
      this.host
        .prepareSnapshot()
        .then(() => {
          if (!view || this.view !== view) return;
          // Synchronous from here: nothing can be posted between the snapshot and `ready`.
          void view.webview.postMessage(this.host.snapshot());
          this.ready = true;
          const queued = this.queue;
          this.queue = [];
          for (const item of queued) {
            void view.webview.postMessage(item);
          }
        })
        .catch((error: unknown) => this.log.error(error));
      return;
    }
    this.host.handleMessage(message).catch((error: unknown) => this.log.error(error));
  }

  private disposeView(): void {
    for (const disposable of this.viewDisposables) {
      disposable.dispose();
    }
    this.viewDisposables = [];
  }

  dispose(): void {
    this.disposeView();
  }
}
