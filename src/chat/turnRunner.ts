// The turn runner: one answer at a time, streamed to the view, saved while it streams, ended as done, stopped or failed.
import { randomUUID } from 'crypto';
import type * as vscode from 'vscode';
import type { ExtensionConfig } from '../config/config';
import { readConfig } from '../config/config';
import { describeError } from '../errors/describeError';
import type { RequestService, SentAnswer } from '../requests/requestService';
import type { AnswerState, ContextItem, ErrorActionId, QuoteView } from '../shared/protocol';
import type { ChatSession } from './chatSession';
import type { Conversation, Turn } from './conversation';
import { contextLimitsFor, questionTooLarge } from './contextBudget';
import { fitConversation } from './contextFit';
import { appendTurn, createTurn, earlierTurnsSent, endAttempt, omittedTurnsOf, toTurnView } from './conversation';
import type { StoppableRun } from './exclusiveRun';

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
  /** When text was last posted to the view. */
  lastPost: number;
  lastSave: number;
  /** Ended by the extension shutting down (window closing or reloading), not by the user. */
  interrupted?: boolean;
  readonly finished: Promise<ChatAnswer>;
}

/**
 * Deltas are posted at most once per frame-ish interval, the first at once: the message count does not grow with the
 * chunking of the server, and text that arrives after a pause is not held back.
 */
const DELTA_FLUSH_MS = 16;
/**
 * While an answer streams it is saved when its first text arrives and then every 2 s, so a reload or a crash keeps
 * what had arrived. A save writes only this conversation's file.
 */
const STREAM_SAVE_INTERVAL_MS = 2_000;

/** Owns at most one running answer; a start while one runs is refused. */
export class TurnRunner implements vscode.Disposable {
  private run: ActiveRun | undefined;

  constructor(
    private readonly session: ChatSession,
    private readonly requests: RequestService,
    /** The editor the settings are read for (the one the user last worked in). */
    private readonly scope: () => vscode.Uri | undefined,
  ) {}

  get isRunning(): boolean {
    return this.run !== undefined;
  }

  /** The answer running, if any: its conversation and turn. */
  running(): { readonly conversationId: string; readonly turnId: string } | undefined {
    return this.run && { conversationId: this.run.conversationId, turnId: this.run.turn.id };
  }

  /** Whether the answer running, if any, belongs to the conversation `id`. */
  isRunningIn(id: string): boolean {
    return this.run?.conversationId === id;
  }

  /** Adds a turn with `question` to `conversation` and answers it. Throws if an answer is still running. */
  start(conversation: Conversation, question: string, quote?: QuoteView, signal?: AbortSignal, prompt?: string, context?: readonly ContextItem[]): Promise<ChatAnswer> {
    if (this.run) {
      // Every caller checks first; this keeps "one answer at a time" true whatever calls it.
      throw new Error('An answer is still running.');
    }
    const turn = createTurn(randomUUID(), question, Date.now(), quote, prompt, context);
    appendTurn(conversation, turn);
    return this.runTurn(conversation, turn, signal);
  }

  /**
   * Answers `turn`, already in `conversation`: a new turn, the last one started afresh (edit and resend), or a new
   * version of its answer (Regenerate, Retry: the earlier answer is shown again if this one fails).
   */
  runTurn(conversation: Conversation, turn: Turn, signal?: AbortSignal): Promise<ChatAnswer> {
    const controller = new AbortController();
    if (signal?.aborted) {
      controller.abort();
    }
    const onOuterAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    let resolveFinished!: (answer: ChatAnswer) => void;
    const finished = new Promise<ChatAnswer>((resolve) => (resolveFinished = resolve));
    const run: ActiveRun = { conversationId: conversation.id, turn, controller, pending: '', flushTimer: undefined, lastPost: 0, lastSave: 0, finished };
    this.run = run;
    conversation.updatedAt = Date.now();
    this.session.post({ type: 'turnStarted', conversationId: conversation.id, turn: toTurnView(turn) });
    void this.session.save(conversation);
    void this.execute(conversation, run)
      .catch((error: unknown) => this.session.log.error(error))
      .finally(() => {
        signal?.removeEventListener('abort', onOuterAbort);
        if (this.run === run) this.run = undefined;
        conversation.updatedAt = Date.now();
        void this.session.save(conversation);
        // A failed Regenerate shows the answer from before, but this run still failed.
        const failure = turn.attemptError;
        resolveFinished({
          state: failure ? 'error' : turn.state === 'streaming' ? 'error' : turn.state,
          text: failure ? '' : turn.answer,
          model: turn.model,
          errorMessage: failure ? failure.message : turn.error?.message,
        });
      });
    return finished;
  }

  /** The running answer, as waiting for it needs it. */
  current(): StoppableRun | undefined {
    const run = this.run;
    return run && { stop: () => run.controller.abort(), finished: run.finished };
  }

  /** Stops the streaming answer, if any. */
  stop(): void {
    this.run?.controller.abort();
  }

  /** The extension is shutting down: the running answer ends as interrupted (what arrived kept) and is waited for. */
  async interruptAndWait(): Promise<void> {
    const run = this.run;
    if (!run) return;
    run.interrupted = true;
    run.controller.abort();
    await run.finished;
  }

  /** Stops the running answer (and any started meanwhile) and waits until it has ended. */
  async stopAndWait(): Promise<void> {
    for (let run = this.run; run; run = this.run) {
      run.controller.abort();
      await run.finished;
    }
  }

  /** Delivers the buffered text now (a snapshot carries the turn, so it must not arrive again as a delta). */
  flushPending(): void {
    if (this.run) {
      this.flush(this.run);
    }
  }

  private async execute(conversation: Conversation, run: ActiveRun): Promise<void> {
    const { turn, controller } = run;
    const scope = this.scope();
    const config = readConfig(scope);
    const index = conversation.turns.indexOf(turn);
    try {
      // The history is fitted to the model's window: the oldest turns go first (beyond those Retry With Fewer Turns left out).
      const limits = contextLimitsFor(config);
      const fit = fitConversation(conversation, index, limits.inputBudget, config.instructions);
      const omitted = fit.kind === 'fits' ? fit.omitted : Math.min(omittedTurnsOf(conversation), index);
      if (omitted > 0) turn.omittedTurns = omitted;
      else delete turn.omittedTurns;
      const limitsNote = `window ${limits.windowTokens} (${limits.source}) less ${limits.reservedTokens} for the answer`;
      if (fit.kind === 'tooLarge') {
        this.session.log.warn(`Turn ${turn.id} not sent: its question is about ${fit.tokens} tokens, over ${fit.budget} (${limitsNote}).`);
        turn.model = config.model;
        this.finishError(conversation, run, questionTooLarge(fit.tokens, limits));
        return;
      }
      const { input } = fit;
      this.session.log.info(
        `Turn ${turn.id}: model ${config.model}, ${input.length} input messages, about ${fit.tokens} of ${limits.inputBudget} tokens (${limitsNote}), first ${omitted} turns left out, stream ${config.stream}.`,
      );
      const result = await this.requests.send({
        input,
        scope,
        signal: controller.signal,
        onDelta: (text) => this.receiveDelta(conversation, run, text),
      });
      this.finishDone(conversation, run, result, config);
    } catch (error) {
      this.finishFailed(conversation, run, error, config);
    }
  }

  private finishDone(conversation: Conversation, run: ActiveRun, result: SentAnswer, config: ExtensionConfig): void {
    const { turn } = run;
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
    endAttempt(turn);
    this.session.post({ type: 'done', conversationId: conversation.id, turn: toTurnView(turn) });
  }

  /** Ends the turn as stopped when it was aborted, else as failed with the sentence and next steps to show. */
  private finishFailed(conversation: Conversation, run: ActiveRun, error: unknown, config: ExtensionConfig): void {
    const { turn, controller } = run;
    this.flush(run);
    const partial = (error as { partialText?: unknown }).partialText;
    if (!turn.answer && typeof partial === 'string' && partial) {
      turn.answer = partial;
    }
    const described = describeError(error, config.baseUrl, { inConversation: true });
    if (controller.signal.aborted || described.kind === 'aborted') {
      turn.model ??= config.model;
      this.finishStopped(conversation, run);
      return;
    }
    this.session.log.warn(`Turn ${turn.id} failed (${described.kind}): ${error instanceof Error ? error.message : String(error)}`);
    // Whether Retry is offered is the catalogue's decision (src/errors), the same in the chat as in notifications.
    // Fewer turns (or a new chat) cannot help a question that is sent alone and still does not fit.
    const alone = earlierTurnsSent(conversation) === 0 || conversation.turns.at(-1) !== turn;
    const actions: ErrorActionId[] = described.actions.filter((action) => !(alone && (action === 'retryFewerTurns' || action === 'newChat')));
    turn.model = config.model;
    this.finishError(conversation, run, { message: described.message, actions });
  }

  private finishStopped(conversation: Conversation, run: ActiveRun): void {
    run.turn.state = run.interrupted ? 'interrupted' : 'stopped';
    // Stopped before any text, a Regenerate leaves the answer from before as it was.
    endAttempt(run.turn);
    this.session.post({ type: 'done', conversationId: conversation.id, turn: toTurnView(run.turn) });
  }

  private finishError(conversation: Conversation, run: ActiveRun, error: { message: string; actions: ErrorActionId[] }): void {
    run.turn.state = 'error';
    run.turn.error = error;
    // A failed Regenerate or Retry shows the answer from before again, the failure said under it (attemptError).
    endAttempt(run.turn);
    this.session.post({ type: 'error', conversationId: conversation.id, turn: toTurnView(run.turn) });
  }

  private receiveDelta(conversation: Conversation, run: ActiveRun, text: string): void {
    if (run.controller.signal.aborted || !text) return;
    run.turn.answer += text;
    run.pending += text;
    const now = Date.now();
    if (!run.flushTimer) {
      const wait = run.lastPost + DELTA_FLUSH_MS - now;
      if (wait <= 0) this.flush(run);
      else run.flushTimer = setTimeout(() => this.flush(run), wait);
    }
    if (now - run.lastSave > STREAM_SAVE_INTERVAL_MS) {
      run.lastSave = now;
      conversation.updatedAt = now;
      void this.session.save(conversation);
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
      run.lastPost = Date.now();
      this.postDelta(run, text);
    }
  }

  private postDelta(run: ActiveRun, text: string): void {
    if (text) {
      this.session.post({ type: 'delta', conversationId: run.conversationId, turnId: run.turn.id, text });
    }
  }

  dispose(): void {
    this.run?.controller.abort();
  }
}
