// The chat view's side of the chat: the snapshot a view starts from, and what each of its messages does.
import type { ErrorActionId, HostMessage, WebviewMessage } from '../shared/protocol';
import { runErrorAction } from '../errors/errorActions';
import { webviewStrings } from '../webview/strings';
import type { ChatViewHost } from '../webview/chatViewProvider';
import { openAnswerLink } from './answerLink';
import type { ChatSession } from './chatSession';
import type { ChatStatus } from './chatStatus';
import { canRetry, dropOldestTurns, resetLastTurn, toConversationView } from './conversation';
import type { ConversationList } from './conversationList';
import type { EditorActions } from './editorActions';
import type { TurnRunner } from './turnRunner';

/** Routes the webview's requests; a question sent while an answer runs goes back to the input, unsent. */
export class MessageRouter implements ChatViewHost {
  constructor(
    private readonly session: ChatSession,
    private readonly runner: TurnRunner,
    private readonly status: ChatStatus,
    private readonly editors: EditorActions,
    private readonly conversations: Pick<ConversationList, 'newChat'>,
  ) {}

  /** Reads what the snapshot needs asynchronously (whether a key exists), so `snapshot()` itself is synchronous. */
  async prepareSnapshot(): Promise<void> {
    await this.status.prepare();
  }

  snapshot(): HostMessage {
    // Buffered text is already in the turn: deliver it now (as part of the snapshot), never again as a delta.
    this.runner.flushPending();
    return {
      type: 'init',
      strings: webviewStrings(),
      status: this.status.current(),
      conversation: toConversationView(this.session.store().active()),
    };
  }

  async handleMessage(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'send':
        await this.send(message.text);
        return;
      case 'editLast': {
        const last = this.session.store().active().turns.at(-1);
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
    void this.runner.start(this.session.store().active(), question);
  }

  /** Regenerate (same question) or edit and resend (new question) the last turn. */
  private async rerunLast(question?: string): Promise<void> {
    if (this.runner.isRunning) {
      if (question !== undefined) this.session.post({ type: 'restoreInput', text: question, editing: true });
      return;
    }
    const conversation = this.session.store().active();
    const trimmed = question?.trim();
    const turn = resetLastTurn(conversation, trimmed || undefined);
    if (!turn) {
      if (trimmed) void this.runner.start(conversation, trimmed);
      return;
    }
    if (trimmed) {
      this.session.postConversation(conversation);
    }
    void this.runner.runTurn(conversation, turn);
  }

  private async errorAction(action: ErrorActionId, turnId: string): Promise<void> {
    if (action === 'retry') {
      // Retry rewrites the last answer: from an older failed turn (a stale button) it would erase a newer answer.
      if (!canRetry(this.session.store().active(), turnId)) {
        this.session.log.warn('Ignored Retry for a turn that is not the last failed one.');
        return;
      }
      await this.rerunLast();
      return;
    }
    if (action === 'retryFewerTurns') {
      const conversation = this.session.store().active();
      if (!canRetry(conversation, turnId) || this.runner.isRunning) return;
      const dropped = dropOldestTurns(conversation);
      this.session.log.info(`Retry With Fewer Turns: ${dropped} more of the first turns left out (from turn ${conversation.contextStart ?? 0}).`);
      if (dropped > 0) await this.rerunLast();
      return;
    }
    if (action === 'newChat') {
      // The question that did not fit goes along, unsent, so it can be asked again (or shortened) in the new chat.
      const question = this.session.store().active().turns.find((turn) => turn.id === turnId)?.question;
      await this.conversations.newChat();
      if (question) this.session.post({ type: 'restoreInput', text: question });
      return;
    }
    await runErrorAction(action);
  }
}
