import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { affectsExtension, readConfig } from '../config/config';
import type { KeyStore } from '../config/keyStore';
import type { AnswerState, ErrorActionId, HostMessage, InsertMode, QuoteView, StatusView, WebviewMessage } from '../shared/protocol';
import type { RequestService } from '../requests/requestService';
import { runErrorAction } from '../errors/errorActions';
import { describeError } from '../errors/describeError';
import type { ComponentLogger, Logger } from '../util/logger';
import { CHAT_VIEW_ID } from '../webview/chatViewProvider';
import type { ChatViewProvider } from '../webview/chatViewProvider';
import { webviewStrings } from '../webview/strings';
import type { Conversation, Turn } from './conversation';
import {
  appendTurn,
  buildInput,
  canRetry,
  conversationToMarkdown,
  createTurn,
  exportFileName,
  resetLastTurn,
  toConversationView,
  toTurnView,
} from './conversation';
import { ConversationStore } from './conversationStore';
import { startWhenIdle } from './exclusiveRun';
import { pickTargetEditor } from './targetEditor';

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

/** How an answer ended, for callers of `ask`. */
export interface ChatAnswer {
  readonly state: Exclude<AnswerState, 'streaming'>;
  readonly text: string;
  readonly model?: string;
  /** The sentence shown in the view when state is `error`. */
  readonly errorMessage?: string;
}

interface ActiveRun {
  readonly conversationId: string;
  readonly turn: Turn;
  readonly controller: AbortController;
  pending: string;
  flushTimer: ReturnType<typeof setTimeout> | undefined;
  lastSave: number;
  readonly finished: Promise<ChatAnswer>;
}

/** Deltas are coalesced per frame-ish interval: the message count does not grow with the chunking of the server. */
const DELTA_FLUSH_MS = 16;
/** While an answer streams it is saved now and then, so a crash keeps most of it. */
const STREAM_SAVE_INTERVAL_MS = 5_000;

/**
 * The chat: conversations, the turn runner, and the webview's requests. Owns at most one running answer.
 * Nothing heavy happens before first use: history is read when the view first asks for it.
 */
export class ChatController implements vscode.Disposable {
  private storeInstance: ConversationStore | undefined;
  private hasKeyCache: boolean | undefined;
  private provider: ChatViewProvider | undefined;
  private run: ActiveRun | undefined;
  private lastEditor: vscode.TextEditor | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly log: ComponentLogger;

  constructor(
    private readonly context: vscode.ExtensionContext,
    logger: Logger,
    private readonly keyStore: KeyStore,
    private readonly requests: RequestService,
  ) {
    this.log = logger.forComponent('chat');
    this.lastEditor = vscode.window.activeTextEditor;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) {
          this.lastEditor = editor;
        }
      }),
      keyStore.onDidChange(() => this.postStatus()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsExtension(event)) {
          this.postStatus();
        }
      }),
    );
  }

  attach(provider: ChatViewProvider): void {
    this.provider = provider;
  }

  // ---- the host API for other features -------------------------------------------------------------------

  /**
   * Shows the chat view, adds the question (with its quoted code) as a new turn and streams the answer into it.
   * An answer still streaming is stopped first. Resolves when the answer ends, however it ends.
   */
  async ask(prompt: ChatPrompt): Promise<ChatAnswer> {
    await this.reveal(true);
    // Another question may have started while the view opened: stop whatever runs, then start with nothing awaited
    // between the last check and the start, so at most one answer runs.
    return startWhenIdle(
      () => this.currentRun(),
      () => {
        const store = this.store();
        const conversation = prompt.newConversation ? store.startNew() : store.active();
        if (prompt.newConversation) {
          this.post({ type: 'conversation', conversation: toConversationView(conversation) });
        }
        return this.startTurn(conversation, prompt.text, prompt.quote, prompt.signal, prompt.prompt);
      },
    );
  }

  /** Opens the chat view (focusing its input unless `preserveFocus`). */
  async reveal(preserveFocus = false): Promise<void> {
    if (!this.provider?.show(preserveFocus)) {
      await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    }
    if (!preserveFocus) {
      this.post({ type: 'focusInput' });
    }
  }

  async newChat(): Promise<void> {
    await this.stopAndWait();
    const conversation = this.store().startNew();
    this.post({ type: 'conversation', conversation: toConversationView(conversation) });
    await this.reveal(false);
  }

  /** Stops the streaming answer, if any. */
  stop(): void {
    this.run?.controller.abort();
  }

  /** The conversation list: pick to switch, buttons to rename and delete. */
  async showConversations(): Promise<void> {
    const store = this.store();
    const renameButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: vscode.l10n.t('Rename') };
    const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Delete') };
    type Item = vscode.QuickPickItem & { id?: string };
    const pick = vscode.window.createQuickPick<Item>();
    const refresh = (): void => {
      const activeId = store.active().id;
      const items: Item[] = [{ label: `$(add) ${vscode.l10n.t('New Chat')}`, alwaysShow: true }];
      for (const conversation of store.list()) {
        if (conversation.turns.length === 0) continue;
        items.push({
          id: conversation.id,
          label: conversation.title || vscode.l10n.t('Untitled conversation'),
          description: conversation.id === activeId ? vscode.l10n.t('current') : undefined,
          detail: vscode.l10n.t({
            message: '{0} questions · {1}',
            args: [conversation.turns.length, new Date(conversation.updatedAt).toLocaleString(vscode.env.language)],
            comment: ['{0} number of questions, {1} date and time of the last change'],
          }),
          buttons: [renameButton, deleteButton],
        });
      }
      pick.items = items;
    };
    pick.title = vscode.l10n.t('AnyAPI Conversations');
    pick.placeholder = vscode.l10n.t('Switch to a conversation, or rename or delete one');
    pick.matchOnDetail = true;
    refresh();
    const done = new Promise<void>((resolve) => {
      const subscriptions: vscode.Disposable[] = [];
      subscriptions.push(
        pick.onDidAccept(() => {
          const id = pick.selectedItems[0]?.id;
          pick.hide();
          (id ? this.switchTo(id) : this.newChat()).catch((error: unknown) => this.log.error(error));
        }),
        pick.onDidTriggerItemButton(async (event) => {
          try {
            const id = event.item.id;
            if (!id) return;
            if (event.button === renameButton) {
              pick.hide();
              await this.rename(id);
            } else if (event.button === deleteButton) {
              pick.hide();
              await this.deleteConversation(id);
            }
          } catch (error) {
            this.log.error(error);
          }
        }),
        pick.onDidHide(() => {
          subscriptions.forEach((subscription) => subscription.dispose());
          pick.dispose();
          resolve();
        }),
      );
    });
    pick.show();
    await done;
  }

  async rename(id: string): Promise<void> {
    const conversation = this.store().get(id);
    if (!conversation) return;
    const title = await vscode.window.showInputBox({
      title: vscode.l10n.t('Rename Conversation'),
      value: conversation.title,
      prompt: vscode.l10n.t('A name for this conversation'),
    });
    if (title === undefined) return;
    this.store().rename(id, title);
    await this.save();
    if (this.store().active().id === id) {
      this.post({ type: 'conversation', conversation: toConversationView(conversation) });
    }
  }

  async deleteConversation(id: string): Promise<void> {
    const conversation = this.store().get(id);
    if (!conversation) return;
    const remove = vscode.l10n.t('Delete');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete the conversation “{0}”?', conversation.title || vscode.l10n.t('Untitled conversation')),
      { modal: true },
      remove,
    );
    if (choice !== remove) return;
    if (this.run?.conversationId === id) {
      await this.stopAndWait();
    }
    const wasActive = this.store().active().id === id;
    this.store().delete(id);
    await this.save();
    if (wasActive) {
      this.post({ type: 'conversation', conversation: toConversationView(this.store().active()) });
    }
  }

  async switchTo(id: string): Promise<void> {
    if (this.store().active().id !== id) {
      await this.stopAndWait();
    }
    const conversation = this.store().setActive(id);
    if (!conversation) return;
    await this.save();
    this.post({ type: 'conversation', conversation: toConversationView(conversation) });
    await this.reveal(false);
  }

  /** Export to Markdown through a save dialog. Returns the file written, if any. */
  async exportConversation(): Promise<vscode.Uri | undefined> {
    const conversation = this.store().active();
    if (conversation.turns.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This conversation is empty: there is nothing to export yet.'));
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = exportFileName(conversation, 'anyapi-chat');
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Conversation to Markdown'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { Markdown: ['md'] },
      saveLabel: vscode.l10n.t('Export'),
    });
    if (!target) return undefined;
    const markdown = conversationToMarkdown(conversation, {
      untitled: vscode.l10n.t('Untitled conversation'),
      user: vscode.l10n.t('You'),
      assistant: vscode.l10n.t('AnyAPI'),
      stopped: vscode.l10n.t('Stopped'),
      incomplete: vscode.l10n.t('The answer was cut short'),
      failed: vscode.l10n.t('Failed:'),
      model: vscode.l10n.t('model'),
    });
    await vscode.workspace.fs.writeFile(target, Buffer.from(markdown, 'utf8'));
    void vscode.window.showInformationMessage(vscode.l10n.t('Conversation exported to {0}.', vscode.workspace.asRelativePath(target)));
    return target;
  }

  // ---- the webview --------------------------------------------------------------------------------------

  /** Reads what the snapshot needs asynchronously (whether a key exists), so `snapshot()` itself is synchronous. */
  async prepareSnapshot(): Promise<void> {
    this.hasKeyCache = await this.keyStore.has();
  }

  snapshot(): HostMessage {
    // Buffered text is already in the turn: deliver it now (as part of the snapshot), never again as a delta.
    if (this.run) {
      this.flush(this.run);
    }
    return {
      type: 'init',
      strings: webviewStrings(),
      status: this.status(),
      conversation: toConversationView(this.store().active()),
    };
  }

  async handleMessage(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'send':
        await this.send(message.text);
        return;
      case 'editLast':
        await this.rerunLast(message.text);
        return;
      case 'stop':
        this.stop();
        return;
      case 'regenerate':
        await this.rerunLast();
        return;
      case 'errorAction':
        await this.errorAction(message.action, message.turnId);
        return;
      case 'command':
        await runErrorAction(message.command);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'insertCode':
        await this.insertCode(message.code, message.mode);
        return;
      case 'openLink':
        await this.openLink(message.href);
        return;
    }
  }

  private async send(text: string): Promise<void> {
    const question = text.trim();
    if (!question) return;
    // The same guard as every start: checked with nothing awaited before the turn starts.
    if (this.run) {
      this.post({ type: 'restoreInput', text });
      return;
    }
    void this.startTurn(this.store().active(), question);
  }

  /** Regenerate (same question) or edit and resend (new question) the last turn. */
  private async rerunLast(question?: string): Promise<void> {
    if (this.run) {
      if (question !== undefined) this.post({ type: 'restoreInput', text: question, editing: true });
      return;
    }
    const conversation = this.store().active();
    const trimmed = question?.trim();
    const turn = resetLastTurn(conversation, trimmed || undefined);
    if (!turn) {
      if (trimmed) void this.startTurn(conversation, trimmed);
      return;
    }
    if (trimmed) {
      this.post({ type: 'conversation', conversation: toConversationView(conversation) });
    }
    void this.runTurn(conversation, turn);
  }

  private async errorAction(action: ErrorActionId, turnId: string): Promise<void> {
    if (action === 'retry') {
      // Retry rewrites the last answer: from an older failed turn (a stale button) it would erase a newer answer.
      if (!canRetry(this.store().active(), turnId)) {
        this.log.warn('Ignored Retry for a turn that is not the last failed one.');
        return;
      }
      await this.rerunLast();
      return;
    }
    await runErrorAction(action);
  }

  // ---- the turn runner -----------------------------------------------------------------------------------

  private startTurn(
    conversation: Conversation,
    question: string,
    quote?: QuoteView,
    signal?: AbortSignal,
    prompt?: string,
  ): Promise<ChatAnswer> {
    if (this.run) {
      // Every caller checks first; this keeps "one answer at a time" true whatever calls it.
      throw new Error('An answer is still running.');
    }
    const turn = createTurn(randomUUID(), question, Date.now(), quote, prompt);
    appendTurn(conversation, turn);
    return this.runTurn(conversation, turn, signal);
  }

  private runTurn(conversation: Conversation, turn: Turn, signal?: AbortSignal): Promise<ChatAnswer> {
    const controller = new AbortController();
    if (signal?.aborted) {
      controller.abort();
    }
    const onOuterAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    let resolveFinished!: (answer: ChatAnswer) => void;
    const finished = new Promise<ChatAnswer>((resolve) => (resolveFinished = resolve));
    const run: ActiveRun = { conversationId: conversation.id, turn, controller, pending: '', flushTimer: undefined, lastSave: Date.now(), finished };
    this.run = run;
    conversation.updatedAt = Date.now();
    this.post({ type: 'turnStarted', conversationId: conversation.id, turn: toTurnView(turn) });
    void this.save();
    void this.execute(conversation, run)
      .catch((error: unknown) => this.log.error(error))
      .finally(() => {
        signal?.removeEventListener('abort', onOuterAbort);
        if (this.run === run) this.run = undefined;
        conversation.updatedAt = Date.now();
        void this.save();
        resolveFinished({
          state: turn.state === 'streaming' ? 'error' : turn.state,
          text: turn.answer,
          model: turn.model,
          errorMessage: turn.error?.message,
        });
      });
    return finished;
  }

  private async execute(conversation: Conversation, run: ActiveRun): Promise<void> {
    const { turn, controller } = run;
    const scope = this.lastEditor?.document.uri;
    const config = readConfig(scope);
    const index = conversation.turns.indexOf(turn);
    try {
      const input = buildInput(conversation, index);
      this.log.info(`Turn ${turn.id}: model ${config.model}, ${input.length} input messages, stream ${config.stream}.`);
      const result = await this.requests.send({
        input,
        scope,
        signal: controller.signal,
        onDelta: (text) => this.receiveDelta(conversation, run, text),
      });
      this.flush(run);
      if (result.text && result.text !== turn.answer) {
        const streamedSoFar = turn.answer;
        turn.answer = result.text;
        if (result.text.startsWith(streamedSoFar)) {
          this.postDelta(run, result.text.slice(streamedSoFar.length));
        }
      }
      turn.state = result.status === 'incomplete' ? 'incomplete' : 'done';
      turn.model = result.model ?? config.model;
      turn.usage = result.usage;
      turn.incompleteReason = result.incompleteReason;
      this.post({ type: 'done', conversationId: conversation.id, turn: toTurnView(turn) });
    } catch (error) {
      this.flush(run);
      const partial = (error as { partialText?: unknown }).partialText;
      if (!turn.answer && typeof partial === 'string' && partial) {
        turn.answer = partial;
      }
      const described = describeError(error, config.baseUrl);
      if (controller.signal.aborted || described.kind === 'aborted') {
        turn.model ??= config.model;
        this.finishStopped(conversation, run);
        return;
      }
      this.log.warn(`Turn ${turn.id} failed (${described.kind}): ${error instanceof Error ? error.message : String(error)}`);
      const actions: ErrorActionId[] = [...described.actions];
      if (!actions.includes('retry')) actions.unshift('retry');
      turn.model = config.model;
      this.finishError(conversation, run, { message: described.message, actions });
    }
  }

  private finishStopped(conversation: Conversation, run: ActiveRun): void {
    run.turn.state = 'stopped';
    this.post({ type: 'done', conversationId: conversation.id, turn: toTurnView(run.turn) });
  }

  private finishError(conversation: Conversation, run: ActiveRun, error: { message: string; actions: ErrorActionId[] }): void {
    run.turn.state = 'error';
    run.turn.error = error;
    this.post({ type: 'error', conversationId: conversation.id, turn: toTurnView(run.turn) });
  }

  private receiveDelta(conversation: Conversation, run: ActiveRun, text: string): void {
    if (run.controller.signal.aborted || !text) return;
    run.turn.answer += text;
    run.pending += text;
    run.flushTimer ??= setTimeout(() => this.flush(run), DELTA_FLUSH_MS);
    const now = Date.now();
    if (now - run.lastSave > STREAM_SAVE_INTERVAL_MS) {
      run.lastSave = now;
      conversation.updatedAt = now;
      void this.save();
    }
  }

  private flush(run: ActiveRun): void {
    if (run.flushTimer) {
      clearTimeout(run.flushTimer);
      run.flushTimer = undefined;
    }
    if (run.pending) {
      const text = run.pending;
      run.pending = '';
      this.postDelta(run, text);
    }
  }

  private postDelta(run: ActiveRun, text: string): void {
    if (text) {
      this.post({ type: 'delta', conversationId: run.conversationId, turnId: run.turn.id, text });
    }
  }

  private currentRun(): { stop(): void; finished: Promise<ChatAnswer> } | undefined {
    const run = this.run;
    return run && { stop: () => run.controller.abort(), finished: run.finished };
  }

  private async stopAndWait(): Promise<void> {
    for (let run = this.run; run; run = this.run) {
      run.controller.abort();
      await run.finished;
    }
  }

  // ---- editor, links, status -----------------------------------------------------------------------------

  /** Insert at Cursor / Replace Selection in the last active editor, as one undo step; never in another file. */
  async insertCode(code: string, mode: InsertMode): Promise<boolean> {
    const editor = pickTargetEditor(this.lastEditor, vscode.window.visibleTextEditors);
    if (!editor) {
      void vscode.window.showWarningMessage(
        this.lastEditor
          ? vscode.l10n.t('The editor you last worked in is no longer open. Open the file to change and place the cursor, then try again: the code block stays in the chat.')
          : vscode.l10n.t('Open a file in an editor first: there is nowhere to put the code.'),
      );
      return false;
    }
    const applied = await editor.edit((edit) => {
      for (const selection of editor.selections) {
        if (mode === 'replace') {
          edit.replace(selection, code);
        } else {
          edit.insert(selection.active, code);
        }
      }
    });
    if (!applied) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('The code could not be put into {0}: the editor is read-only or changed meanwhile.', vscode.workspace.asRelativePath(editor.document.uri)),
      );
      return false;
    }
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
    return true;
  }

  /** Links from answers open only after the user saw the full address and confirmed. */
  async openLink(href: string): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return false;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:' && url.protocol !== 'mailto:') {
      this.log.warn(`Refused to open a ${url.protocol} link from an answer.`);
      return false;
    }
    const open = vscode.l10n.t('Open Link');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Open this link from the answer?'),
      { modal: true, detail: url.href },
      open,
    );
    if (choice !== open) return false;
    return vscode.env.openExternal(vscode.Uri.parse(url.href, true));
  }

  private status(): StatusView {
    return { hasKey: this.hasKeyCache ?? false, model: readConfig(this.lastEditor?.document.uri).model };
  }

  private postStatus(): void {
    this.keyStore
      .has()
      .then((hasKey) => {
        this.hasKeyCache = hasKey;
        this.post({ type: 'status', status: this.status() });
      })
      .catch((error: unknown) => this.log.error(error));
  }

  private post(message: HostMessage): void {
    this.provider?.post(message);
  }

  private store(): ConversationStore {
    this.storeInstance ??= new ConversationStore(this.context.workspaceState, randomUUID);
    return this.storeInstance;
  }

  private async save(): Promise<void> {
    try {
      await this.store().save();
    } catch (error) {
      this.log.error(error);
    }
  }

  dispose(): void {
    this.run?.controller.abort();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }
}
