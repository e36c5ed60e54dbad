import type { InputMessage } from '../api/index';
import { fence } from '../prompts/templates';
import type { AnswerState, AnswerVersionView, ContextItem, ConversationView, QuoteView, TurnErrorView, TurnView, UsageView } from '../shared/protocol';
import { MAX_ANSWER_VERSIONS, answerVersionsOf, shownVersionOf, versionIndexOf } from '../shared/protocol';

/**
 * The conversation model: plain data, no vscode, so it is unit-tested and persisted as it is. A turn is one
 * question and its answer; the answer's text is kept whatever happened to it (stopped, failed). Regenerate keeps
 * the earlier answers as versions: the turn's own answer fields are the one shown, sent and exported.
 */

/** One answer to a turn's question, kept beside the others when it is regenerated. */
export type AnswerVersion = AnswerVersionView;

export interface Turn {
  readonly id: string;
  question: string;
  readonly quote?: QuoteView;
  /** Context chips sent with the question (files, problems, terminal text, changes). */
  readonly context?: readonly ContextItem[];
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
  /** The question's other answers, oldest first; the one above is number `versionIndex` (from 0) among all of them. */
  versions?: AnswerVersion[];
  versionIndex?: number;
  /** While a Regenerate or Retry runs: the answer shown before it, as an index into `versions` (shown again if it fails). */
  replacing?: number;
  /** The last Regenerate or Retry failed: the answer above is the one from before, and this says why. */
  attemptError?: TurnErrorView;
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

export function createTurn(id: string, question: string, now: number, quote?: QuoteView, prompt?: string, context?: readonly ContextItem[]): Turn {
  const turn: Turn = { id, question, quote, ...(context?.length ? { context } : {}), answer: '', state: 'streaming', createdAt: now };
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

/** Clears the last answer and its versions for edit and resend: the answers of the old question go with it. */
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
  clearAnswer(turn);
  delete turn.versions;
  delete turn.versionIndex;
  delete turn.replacing;
  return turn;
}

const ANSWER_FIELDS = ['model', 'usage', 'incompleteReason', 'error', 'omittedTurns'] as const;

/** The turn waits for a new answer: nothing of the shown one is left on it. */
function clearAnswer(turn: Turn): void {
  turn.answer = '';
  turn.state = 'streaming';
  for (const field of ANSWER_FIELDS) delete turn[field];
  delete turn.attemptError;
}

/** Makes `answers[index]` the shown answer of the turn and the rest its other versions. */
function showAmong(turn: Turn, answers: readonly AnswerVersion[], index: number): void {
  for (const field of ANSWER_FIELDS) delete turn[field];
  Object.assign(turn, answers[index]);
  const others = answers.filter((_, at) => at !== index);
  if (others.length > 0) {
    turn.versions = others;
    turn.versionIndex = index;
  } else {
    delete turn.versions;
    delete turn.versionIndex;
  }
}

/**
 * Starts another answer to the last turn's question (Regenerate, Retry). Its answers so far stay as versions (the
 * oldest not shown go beyond MAX_ANSWER_VERSIONS), and the one shown is shown again if the new one fails. An answer
 * without any text is not kept.
 */
export function startNewVersion(conversation: Conversation): Turn | undefined {
  const turn = conversation.turns.at(-1);
  if (!turn) return undefined;
  const shownAt = turn.state === 'streaming' ? -1 : versionIndexOf(turn);
  const kept: AnswerVersion[] = [];
  let replacing: number | undefined;
  answerVersionsOf(turn).forEach((version, index) => {
    if (version.answer.trim() === '') return;
    if (index === shownAt) replacing = kept.length;
    kept.push(version);
  });
  while (kept.length >= MAX_ANSWER_VERSIONS) {
    const dropped = replacing === 0 ? 1 : 0;
    kept.splice(dropped, 1);
    if (replacing !== undefined && replacing > dropped) replacing--;
  }
  clearAnswer(turn);
  if (kept.length > 0) {
    turn.versions = kept;
    turn.versionIndex = kept.length;
  } else {
    delete turn.versions;
    delete turn.versionIndex;
  }
  if (replacing === undefined) delete turn.replacing;
  else turn.replacing = replacing;
  return turn;
}

/**
 * Ends a Regenerate or Retry once its answer has its ending. One that failed, or was stopped before any text, gives
 * way to the answer shown before it, with the failure in `attemptError` (a failed one's text stays, as the last
 * version). Returns whether the earlier answer is shown again.
 */
export function endAttempt(turn: Turn): boolean {
  const replacing = turn.replacing;
  delete turn.replacing;
  const attempt = shownVersionOf(turn);
  const previous = replacing === undefined ? undefined : turn.versions?.[replacing];
  if (!attempt || !previous || replacing === undefined) return false;
  const empty = attempt.answer.trim() === '';
  if (attempt.state !== 'error' && !((attempt.state === 'stopped' || attempt.state === 'interrupted') && empty)) return false;
  const others = turn.versions ?? [];
  // While the attempt ran it was the last answer, after all of `others`.
  showAmong(turn, empty ? others : [...others, attempt], replacing);
  if (attempt.state === 'error' && attempt.error) turn.attemptError = attempt.error;
  return true;
}

/** Shows answer number `index` (from 0) of the turn: the one the view shows, later requests send and exports write. */
export function showVersion(turn: Turn, index: number): boolean {
  if (turn.state === 'streaming') return false;
  const answers = answerVersionsOf(turn);
  if (!Number.isInteger(index) || index < 0 || index >= answers.length) return false;
  showAmong(turn, answers, index);
  delete turn.attemptError;
  return true;
}

/** The quoted code in a fence the code cannot close (the prompts' own fence), under its file and lines. */
export function quoteAsMarkdown(quote: QuoteView): string {
  const lines = quote.startLine === quote.endLine ? `${quote.startLine}` : `${quote.startLine}-${quote.endLine}`;
  return `\`${quote.fileLabel}\` (${quote.languageId}, lines ${lines}):\n\n${fence(quote.code, quote.languageId)}`;
}

/** One context item as the model reads it and an export shows it: its name, a note if it was cut, its text fenced. */
export function contextItemAsMarkdown(item: ContextItem): string {
  const cut = item.cutFrom === undefined ? '' : ` (cut to ${item.chars} of its ${item.cutFrom} characters)`;
  return `\`${item.label}\`${cut}:\n\n${fence(item.text, item.languageId ?? '')}`;
}

/** The context attached to a question, before it; nothing when there is none. */
export function contextAsMarkdown(context: readonly ContextItem[] | undefined): string {
  if (!context?.length) return '';
  return `Context attached to the question:\n\n${context.map(contextItemAsMarkdown).join('\n\n')}\n\n`;
}

/** What the user sees of their message: the quoted code, then the question (never a command's prompt). */
export function shownUserContent(turn: Pick<Turn, 'question' | 'quote'>): string {
  return turn.quote ? `${quoteAsMarkdown(turn.quote)}\n\n${turn.question}` : turn.question;
}

/** What the model reads as the user's message: the command's prompt, or the quoted code then the question. */
export function userContent(turn: Pick<Turn, 'question' | 'quote' | 'prompt' | 'context'>): string {
  return contextAsMarkdown(turn.context) + (turn.prompt || shownUserContent(turn));
}

function contextStartOf(conversation: Conversation): number {
  return Math.max(0, Math.min(conversation.contextStart ?? 0, conversation.turns.length - 1));
}

/** How many of the first turns a request leaves out (0: all are sent). */
export function omittedTurnsOf(conversation: Conversation): number {
  return contextStartOf(conversation);
}

/**
 * Where the last turn's request really began: the user's choice (Retry With Fewer Turns) or what the context budget
 * left out of it, whichever left out more.
 */
function sentFromOf(conversation: Conversation): number {
  const last = conversation.turns.at(-1);
  return Math.min(Math.max(contextStartOf(conversation), last?.omittedTurns ?? 0), Math.max(0, conversation.turns.length - 1));
}

/** How many earlier turns the request for the last turn sent along with it. */
export function earlierTurnsSent(conversation: Conversation): number {
  return Math.max(0, conversation.turns.length - 1 - sentFromOf(conversation));
}

/**
 * Leaves the older half of the earlier turns (at least one) out of this and every later request of the conversation.
 * Returns how many were left out now (0: there was nothing left to leave out).
 */
export function dropOldestTurns(conversation: Conversation): number {
  const earlier = earlierTurnsSent(conversation);
  if (earlier === 0) return 0;
  const dropped = Math.ceil(earlier / 2);
  conversation.contextStart = sentFromOf(conversation) + dropped;
  return dropped;
}

/**
 * Retry writes the last answer again: it applies only to the last turn, and only when that turn failed (or its last
 * Regenerate did, and the answer from before is shown).
 */
export function canRetry(conversation: Conversation, turnId: string): boolean {
  const last = conversation.turns.at(-1);
  return last !== undefined && last.id === turnId && (last.state === 'error' || last.state === 'interrupted' || last.attemptError !== undefined);
}

/**
 * What an earlier turn adds to a request: its question and answer, or nothing when no answer text arrived (failed
 * before a word), so the model does not see a question twice.
 */
export function earlierTurnInput(turn: Turn): InputMessage[] {
  return turn.answer.trim() !== '' ? [{ role: 'user', content: userContent(turn) }, { role: 'assistant', content: turn.answer }] : [];
}

/**
 * The conversation up to and including turn `index`, as the request's `input`: from turn `omitted` on (by default
 * where Retry With Fewer Turns left it; the context budget may leave out more, see contextFit.ts).
 */
export function buildInput(conversation: Conversation, index = conversation.turns.length - 1, omitted = contextStartOf(conversation)): InputMessage[] {
  const input: InputMessage[] = [];
  conversation.turns.slice(Math.min(omitted, index), index).forEach((turn) => input.push(...earlierTurnInput(turn)));
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
  /** For an answer the window closed on; the stopped label when absent. */
  readonly interrupted?: string;
  readonly incomplete: string;
  readonly failed: string;
  /** e.g. "Model: {0}" already without the value. */
  readonly model: string;
  /** The summary over a turn's attached context. */
  readonly context?: string;
}

export function conversationToMarkdown(conversation: Conversation, labels: ExportLabels): string {
  const parts = [`# ${conversation.title || labels.untitled}`];
  for (const turn of conversation.turns) {
    // What the user saw: the quote and the question, not the prompt a command built for the model.
    parts.push(`## ${labels.user}`);
    if (turn.context?.length) {
      // Collapsed, as in the transcript: what was attached is there, without burying the question.
      parts.push(`<details>\n<summary>${escapeHtml(labels.context ?? 'Context')}: ${turn.context.map((item) => escapeHtml(item.label)).join(', ')}</summary>\n\n${turn.context.map(contextItemAsMarkdown).join('\n\n')}\n\n</details>`);
    }
    parts.push(shownUserContent(turn));
    parts.push(`## ${labels.assistant}${turn.model ? ` (${labels.model} ${turn.model})` : ''}`);
    if (turn.answer) {
      parts.push(turn.answer);
    }
    if (turn.state === 'stopped') {
      parts.push(`_${labels.stopped}_`);
    } else if (turn.state === 'interrupted') {
      parts.push(`_${labels.interrupted ?? labels.stopped}_`);
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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
}
