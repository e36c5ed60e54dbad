// The chat view's side of the chat: the snapshot a view starts from, and what each of its messages does.
import type { ErrorActionId, HostMessage, WebviewMessage } from '../shared/protocol';
import { runErrorAction } from '../errors/errorActions';
import { webviewStrings } from '../webview/strings';
import type { ChatViewHost } from '../webview/chatViewProvider';
import { openAnswerLink } from './answerLink';
import type { ChatSession } from './chatSession';
import type { ChatStatus } from './chatStatus';
import { canRetry, dropOldestTurns, resetLastTurn, showVersion, startNewVersion, toConversationView } from './conversation';
import type { ConversationList } from './conversationList';
import type { EditorActions } from './editorActions';
import type { PendingContext } from './pendingContext';
import type { TurnRunner } from './turnRunner';

/** Routes the webview's requests; a question sent while an answer runs goes back to the input, unsent. */
export class MessageRouter implements ChatViewHost {
  constructor(
    private readonly session: ChatSession,
    private readonly runner: TurnRunner,
    private readonly status: ChatStatus,
    private readonly editors: EditorActions,
    private readonly conversations: Pick<ConversationList, 'newChat'>,
    private readonly pending: PendingContext,
  ) {}

  /** Reads what the snapshot needs asynchronously (whether a key exists), so `snapshot()` itself is synchronous. */
  async prepareSnapshot(): Promise<void> {
    await Promise.all([this.status.prepare(), this.session.store()]);
  }

  snapshot(): HostMessage {
    // Buffered text is already in the turn: deliver it now (as part of the snapshot), never again as a delta.
    this.runner.flushPending();
    const shown = this.session.loadedStore().active();
    this.session.noteShown(shown);
    return {
      type: 'init',
      strings: webviewStrings(),
      status: this.status.current(),
      conversation: toConversationView(shown),
      chips: this.pending.chips(),
    };
  }

  async handleMessage(message: WebviewMessage): Promise<void> {
    // Read before the first message (the view asks for its snapshot first); every case below reads it synchronously.
    await this.session.store();
    switch (message.type) {
      case 'ready':
        return;
      case 'send':
        await this.send(message.text);
        return;
      case 'editLast': {
        const last = this.session.loadedStore().active().turns.at(-1);
        if (message.turnId !== undefined && message.turnId !== last?.id) {
          // Another question became the last turn while this edit was open: it must not be overwritten.
          this.session.post({ type: 'restoreInput', text: message.text });
          return;
        }
        await this.rerunLast(message.text);
        return;
      }
      case 'stop':
        this.runner.stop();
        return;
      case 'regenerate':
        await this.rerunLast();
        return;
      case 'showVersion':
        await this.showVersion(message.turnId, message.index);
        return;
      case 'errorAction':
        await this.errorAction(message.action, message.turnId);
        return;
      case 'command':
        await runErrorAction(message.command);
        return;
      case 'copy':
        await this.editors.copy(message.text);
        return;
      case 'insertCode':
        await this.editors.insertCode(message.code, message.mode);
        return;
      case 'openLink':
        await openAnswerLink(message.href, this.session.log);
        return;
      case 'addContext':
        await this.pending.add(undefined, message.viaHash);
        return;
      case 'removeContext':
        this.pending.remove(message.id);
        return;
    }
  }

  private async send(text: string): Promise<void> {
    const question = text.trim();
    if (!question) return;
    // The same guard as every start: checked with nothing awaited before the turn starts.
    if (this.runner.isRunning) {
      this.session.post({ type: 'restoreInput', text });
      return;
    }
    void this.runner.start(this.session.loadedStore().active(), question, undefined, undefined, undefined, this.pending.take());
  }

  /** Regenerate or Retry (same question: a new version of its answer) or edit and resend (new question) the last turn. */
  private async rerunLast(question?: string): Promise<void> {
    if (this.runner.isRunning) {
      if (question !== undefined) this.session.post({ type: 'restoreInput', text: question, editing: true });
      return;
    }
    const conversation = this.session.loadedStore().active();
    const trimmed = question?.trim();
    // Versions belong to one question: an edited question starts afresh, the same one keeps its earlier answers.
    const turn = trimmed ? resetLastTurn(conversation, trimmed) : startNewVersion(conversation);
    if (!turn) {
      if (trimmed) void this.runner.start(conversation, trimmed);
      return;
    }
    if (trimmed) {
      this.session.postConversation(conversation);
    }
    void this.runner.runTurn(conversation, turn);
  }

  /** The view already shows answer `index`; the host makes it the one sent and exported, and keeps it. */
  private async showVersion(turnId: string, index: number): Promise<void> {
    const conversation = this.session.loadedStore().active();
    const turn = conversation.turns.find((candidate) => candidate.id === turnId);
    if (!turn || !showVersion(turn, index)) {
      // The view paged on what it showed, which is not what the host has: show it the host's again.
      this.session.log.warn(`Ignored showing answer ${index + 1} of a turn that has no such answer now.`);
      this.session.postConversation(conversation);
      return;
    }
    await this.session.save(conversation);
  }

  private async errorAction(action: ErrorActionId, turnId: string): Promise<void> {
    if (action === 'retry') {
      // Retry rewrites the last answer: from an older failed turn (a stale button) it would erase a newer answer.
      if (!canRetry(this.session.loadedStore().active(), turnId)) {
        this.session.log.warn('Ignored Retry for a turn that is not the last failed one.');
        return;
      }
      await this.rerunLast();
      return;
    }
    if (action === 'retryFewerTurns') {
      const conversation = this.session.loadedStore().active();
      if (!canRetry(conversation, turnId) || this.runner.isRunning) return;
      const dropped = dropOldestTurns(conversation);
      this.session.log.info(`Retry With Fewer Turns: ${dropped} more of the first turns left out (from turn ${conversation.contextStart ?? 0}).`);
      if (dropped > 0) await this.rerunLast();
      return;
    }
    if (action === 'newChat') {
      // The question that did not fit goes along, unsent, so it can be asked again (or shortened) in the new chat.
      const question = this.session.loadedStore().active().turns.find((turn) => turn.id === turnId)?.question;
      await this.conversations.newChat();
      if (question) this.session.post({ type: 'restoreInput', text: question });
      return;
    }
    await runErrorAction(action);
  }
}
