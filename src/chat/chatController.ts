// The chat's public face: what the rest of the extension and the chat view call, wired to the parts doing it.
import { createHash } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { KeyStore } from '../config/keyStore';
import type { HostMessage, InsertMode, QuoteView, WebviewMessage } from '../shared/protocol';
import type { RequestService } from '../requests/requestService';
import { DisposableStore } from '../util/disposables';
import type { Logger } from '../util/logger';
import type { ChatViewProvider } from '../webview/chatViewProvider';
import { openAnswerLink } from './answerLink';
import { ChatSession } from './chatSession';
import { ChatStatus } from './chatStatus';
import { ConversationList } from './conversationList';
import { EditorActions } from './editorActions';
import { startWhenIdle } from './exclusiveRun';
import { exportConversationToMarkdown } from './exportConversation';
import { MessageRouter } from './messageRouter';
import { PendingContext } from './pendingContext';
import type { AddContextArgs } from '../attachments/picker';
import type { TerminalCommands } from '../attachments/terminal';
import type { ChatAnswer } from './turnRunner';
import { TurnRunner } from './turnRunner';

export type { ChatAnswer };

/** A question for the chat view from elsewhere in the extension (the selection commands). */
export interface ChatPrompt {
  /** The question as the user sees it in the transcript and the model reads it after the quoted code. */
  readonly text: string;
  /** Code to show quoted above the question and send with it. */
  readonly quote?: QuoteView;
  /**
   * What the model reads for this turn, when a command builds its own prompt (code, language, file name, answer
   * language). Without it the model reads the quoted code followed by `text`. Edit and Resend drops it.
   */
  readonly prompt?: string;
  /** Start a new conversation instead of continuing the current one. */
  readonly newConversation?: boolean;
  /** Aborting it stops the answer like the view's Stop button. */
  readonly signal?: AbortSignal;
}

/**
 * Where the workspace's conversations are kept: a folder of the extension's global storage named after the workspace
 * (its `.code-workspace` file, else its folders), or one shared by the windows without a folder. Not `storageUri`:
 * VS Code gives a second window on a folder that is already open a storage of its own (`<id>-1`), so windows would
 * not see each other's conversations, and the second one's would be lost once it closed. Only a folder on the
 * extension host's disk; elsewhere conversations last as long as the window.
 */
function conversationFolder(context: vscode.ExtensionContext): string | undefined {
  const base = context.globalStorageUri;
  if (base.scheme !== 'file') return undefined;
  const file = vscode.workspace.workspaceFile;
  const identity = file && file.scheme !== 'untitled'
    ? file.toString()
    : (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString()).sort().join('\n');
  const name = identity ? createHash('sha256').update(identity).digest('hex').slice(0, 32) : 'no-folder';
  return path.join(base.fsPath, 'conversations', name);
}

/**
 * The chat: conversations, the turn runner, and the webview's requests. Owns at most one running answer.
 * Nothing heavy happens before first use: history is read when the view first asks for it.
 */
export class ChatController implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly session: ChatSession;
  private readonly editors: EditorActions;
  private readonly runner: TurnRunner;
  private readonly conversations: ConversationList;
  private readonly router: MessageRouter;
  private readonly pending: PendingContext;

  constructor(context: vscode.ExtensionContext, logger: Logger, keyStore: KeyStore, requests: RequestService, terminals: TerminalCommands) {
    this.session = this.disposables.add(new ChatSession(context.workspaceState, conversationFolder(context), logger.forComponent('chat')));
    this.editors = this.disposables.add(new EditorActions());
    const scope = (): vscode.Uri | undefined => this.editors.scope();
    const status = this.disposables.add(new ChatStatus(keyStore, this.session, scope));
    // Added last, so disposing stops the running answer before anything else goes.
    this.runner = this.disposables.add(new TurnRunner(this.session, requests, scope));
    this.session.setRunning(() => this.runner.running());
    this.conversations = new ConversationList(this.session, this.runner);
    this.pending = new PendingContext(this.session, keyStore, terminals);
    this.router = new MessageRouter(this.session, this.runner, status, this.editors, this.conversations, this.pending);
  }

  attach(provider: ChatViewProvider): void {
    this.session.attach(provider);
  }

  // ---- the host API for other features -------------------------------------------------------------------

  /**
   * Shows the chat view, adds the question (with its quoted code) as a new turn and streams the answer into it.
   * An answer still streaming is stopped first. Resolves when the answer ends, however it ends.
   */
  async ask(prompt: ChatPrompt): Promise<ChatAnswer> {
    await this.reveal(true);
    const store = await this.session.store();
    // Another question may have started while the view opened: stop whatever runs, then start with nothing awaited
    // between the last check and the start, so at most one answer runs.
    return startWhenIdle(
      () => this.runner.current(),
      () => {
        const conversation = prompt.newConversation ? store.startNew() : store.active();
        if (prompt.newConversation) {
          this.session.postConversation(conversation);
        }
        // The chips in the input go with the next question, whichever way it is asked.
        return this.runner.start(conversation, prompt.text, prompt.quote, prompt.signal, prompt.prompt, this.pending.take());
      },
    );
  }

  /**
   * Add Context: attaches what the user picks (or what `args` names) to the next question, as chips in the chat's
   * input. Returns what was attached.
   */
  async addContext(args?: AddContextArgs): Promise<readonly { readonly label: string; readonly chars: number; readonly cutFrom?: number }[]> {
    await this.reveal(true);
    return (await this.pending.add(args)).map(({ label, chars, cutFrom }) => ({ label, chars, ...(cutFrom === undefined ? {} : { cutFrom }) }));
  }

  /** Opens the chat view (focusing its input unless `preserveFocus`). */
  reveal(preserveFocus = false): Promise<void> {
    return this.session.reveal(preserveFocus);
  }

  newChat(): Promise<void> {
    return this.conversations.newChat();
  }

  /** Stops the streaming answer, if any. */
  stop(): void {
    this.runner.stop();
  }

  /** The conversation list: pick to switch, buttons to rename and delete. */
  showConversations(): Promise<void> {
    return this.conversations.show();
  }

  rename(id: string): Promise<void> {
    return this.conversations.rename(id);
  }

  deleteConversation(id: string): Promise<void> {
    return this.conversations.delete(id);
  }

  switchTo(id: string): Promise<void> {
    return this.conversations.switchTo(id);
  }

  /** Export to Markdown through a save dialog. Returns the file written, if any. */
  async exportConversation(): Promise<vscode.Uri | undefined> {
    return exportConversationToMarkdown((await this.session.store()).active());
  }

  // ---- the webview --------------------------------------------------------------------------------------

  /** Reads what the snapshot needs asynchronously (whether a key exists), so `snapshot()` itself is synchronous. */
  prepareSnapshot(): Promise<void> {
    return this.router.prepareSnapshot();
  }

  snapshot(): HostMessage {
    return this.router.snapshot();
  }

  handleMessage(message: WebviewMessage): Promise<void> {
    return this.router.handleMessage(message);
  }

  // ---- editor and links ----------------------------------------------------------------------------------

  /** Insert at Cursor / Replace Selection in the last active editor, as one undo step; never in another file. */
  insertCode(code: string, mode: InsertMode): Promise<boolean> {
    return this.editors.insertCode(code, mode);
  }

  /** Links from answers open only after the user saw the full address and confirmed. */
  openLink(href: string): Promise<boolean> {
    return openAnswerLink(href, this.session.log);
  }

  /**
   * The extension is deactivating (the window closes or reloads): a streaming answer ends as interrupted, keeping what
   * arrived, and the conversations are saved before the extension host goes.
   */
  async shutdown(): Promise<void> {
    await this.runner.interruptAndWait();
    await this.session.saveIfOpen();
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
