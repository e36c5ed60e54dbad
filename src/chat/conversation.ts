import type { InputMessage } from '../api/index';
import { fence } from '../prompts/templates';
import type { AnswerState, ConversationView, QuoteView, TurnErrorView, TurnView, UsageView } from '../shared/protocol';

/**
 * The conversation model: plain data, no vscode, so it is unit-tested and persisted as it is. A turn is one
 * question and its answer; the answer's text is kept whatever happened to it (stopped, failed).
 */

export interface Turn {
  readonly id: string;
  question: string;
  readonly quote?: QuoteView;
  /** What the model reads for this question when it differs from the quote plus the question (a command's prompt). */
  prompt?: string;
  answer: string;
  state: AnswerState;
  model?: string;
  usage?: UsageView;
  incompleteReason?: string;
  error?: TurnErrorView;
  /** The request left out the conversation's first `omittedTurns` turns (they did not fit the model's context). */
  omittedTurns?: number;
  readonly createdAt: number;
}

export interface Conversation {
  readonly id: string;
  title: string;
  /** Set by Rename: the title no longer follows the first question. */
  titleEdited?: boolean;
  readonly createdAt: number;
  updatedAt: number;
  turns: Turn[];
  /** Requests start at this turn: the ones before it no longer fit the model's context (Retry With Fewer Turns). */
  contextStart?: number;
}

/** The role/content pairs of the request: the client's own `input` type (a conversation has only these two roles). */
export type { InputMessage } from '../api/index';

const TITLE_LENGTH = 60;

export function createConversation(id: string, now: number): Conversation {
  return { id, title: '', createdAt: now, updatedAt: now, turns: [] };
}

export function createTurn(id: string, question: string, now: number, quote?: QuoteView, prompt?: string): Turn {
  const turn: Turn = { id, question, quote, answer: '', state: 'streaming', createdAt: now };
  if (prompt) turn.prompt = prompt;
  return turn;
}

/** The first line of the first question, shortened: what the conversation list shows. */
export function titleFromQuestion(question: string, quote?: QuoteView): string {
  const line = question.split(/\r?\n/).find((candidate) => candidate.trim() !== '')?.trim() ?? '';
  const text = line || (quote ? `${quote.fileLabel}:${quote.startLine}-${quote.endLine}` : '');
  return text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1).trimEnd()}…` : text;
}

/** Adds a question as the last turn and names an unnamed conversation after it. */
export function appendTurn(conversation: Conversation, turn: Turn): void {
  conversation.turns.push(turn);
  if (!conversation.titleEdited && conversation.turns.length === 1) {
    conversation.title = titleFromQuestion(turn.question, turn.quote);
  }
  conversation.updatedAt = turn.createdAt;
}

/** Clears the last answer so it can be written again (Regenerate, Retry, edit and resend). */
export function resetLastTurn(conversation: Conversation, question?: string): Turn | undefined {
  const turn = conversation.turns.at(-1);
  if (!turn) {
    return undefined;
  }
  if (question !== undefined) {
    turn.question = question;
    // The command's prompt was built around the old question.
    turn.prompt = undefined;
    if (!conversation.titleEdited && conversation.turns.length === 1) {
      conversation.title = titleFromQuestion(question, turn.quote);
    }
  }
  turn.answer = '';
  turn.state = 'streaming';
  turn.model = undefined;
  turn.usage = undefined;
  turn.incompleteReason = undefined;
  turn.error = undefined;
  return turn;
}

/** The quoted code in a fence the code cannot close (the prompts' own fence), under its file and lines. */
export function quoteAsMarkdown(quote: QuoteView): string {
  const lines = quote.startLine === quote.endLine ? `${quote.startLine}` : `${quote.startLine}-${quote.endLine}`;
  return `\`${quote.fileLabel}\` (${quote.languageId}, lines ${lines}):\n\n${fence(quote.code, quote.languageId)}`;
}

/** What the user sees of their message: the quoted code, then the question (never a command's prompt). */
export function shownUserContent(turn: Pick<Turn, 'question' | 'quote'>): string {
  return turn.quote ? `${quoteAsMarkdown(turn.quote)}\n\n${turn.question}` : turn.question;
}

/** What the model reads as the user's message: the command's prompt, or the quoted code then the question. */
export function userContent(turn: Pick<Turn, 'question' | 'quote' | 'prompt'>): string {
  return turn.prompt || shownUserContent(turn);
}

function contextStartOf(conversation: Conversation): number {
  return Math.max(0, Math.min(conversation.contextStart ?? 0, conversation.turns.length - 1));
}

/** How many of the first turns a request leaves out (0: all are sent). */
export function omittedTurnsOf(conversation: Conversation): number {
  return contextStartOf(conversation);
}

/** How many earlier turns the request for the last turn sends along with it. */
export function earlierTurnsSent(conversation: Conversation): number {
  return Math.max(0, conversation.turns.length - 1 - contextStartOf(conversation));
}

/**
 * Leaves the older half of the earlier turns (at least one) out of this and every later request of the conversation.
 * Returns how many were left out now (0: there was nothing left to leave out).
 */
export function dropOldestTurns(conversation: Conversation): number {
  const earlier = earlierTurnsSent(conversation);
  if (earlier === 0) return 0;
  const dropped = Math.ceil(earlier / 2);
  conversation.contextStart = contextStartOf(conversation) + dropped;
  return dropped;
}

/** Retry writes the last answer again: it applies only to the last turn, and only when that turn failed. */
export function canRetry(conversation: Conversation, turnId: string): boolean {
  const last = conversation.turns.at(-1);
  return last !== undefined && last.id === turnId && last.state === 'error';
}

/**
 * The whole conversation up to and including turn `index`, as the request's `input`. Earlier turns without any
 * answer text (failed before a word arrived) are left out, so the model does not see a question twice.
 */
export function buildInput(conversation: Conversation, index = conversation.turns.length - 1): InputMessage[] {
  const input: InputMessage[] = [];
  conversation.turns.slice(Math.min(contextStartOf(conversation), index), index).forEach((turn) => {
    if (turn.answer.trim() !== '') {
      input.push({ role: 'user', content: userContent(turn) }, { role: 'assistant', content: turn.answer });
    }
  });
  const current = conversation.turns[index];
  if (current) {
    input.push({ role: 'user', content: userContent(current) });
  }
  return input;
}

export function toTurnView(turn: Turn): TurnView {
  // The command's prompt stays on the host: the view shows the question and the quote.
  const view: TurnView & { prompt?: string } = { ...turn };
  delete view.prompt;
  return view;
}

export function toConversationView(conversation: Conversation): ConversationView {
  return { id: conversation.id, title: conversation.title, turns: conversation.turns.map(toTurnView) };
}

/** Headings and notes of an export, localised by the caller. */
export interface ExportLabels {
  readonly untitled: string;
  readonly user: string;
  readonly assistant: string;
  readonly stopped: string;
  readonly incomplete: string;
  readonly failed: string;
  /** e.g. "Model: {0}" already without the value. */
  readonly model: string;
}

export function conversationToMarkdown(conversation: Conversation, labels: ExportLabels): string {
  const parts = [`# ${conversation.title || labels.untitled}`];
  for (const turn of conversation.turns) {
    // What the user saw: the quote and the question, not the prompt a command built for the model.
    parts.push(`## ${labels.user}`, shownUserContent(turn));
    parts.push(`## ${labels.assistant}${turn.model ? ` (${labels.model} ${turn.model})` : ''}`);
    if (turn.answer) {
      parts.push(turn.answer);
    }
    if (turn.state === 'stopped') {
      parts.push(`_${labels.stopped}_`);
    } else if (turn.state === 'incomplete') {
      parts.push(`_${labels.incomplete}_`);
    } else if (turn.state === 'error' && turn.error) {
      parts.push(`> ${labels.failed} ${turn.error.message}`);
    }
  }
  return `${parts.join('\n\n')}\n`;
}

/** A file name for the export: the title without characters file systems refuse. */
export function exportFileName(conversation: Conversation, fallback: string): string {
  const base = (conversation.title || fallback)
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .replace(/[. ]+$/, '');
  return `${base || fallback}.md`;
}
