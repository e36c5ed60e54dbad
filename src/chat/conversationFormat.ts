// The stored form of a conversation: reading it back, checking every field, and a canonical form to compare by.
import type { AnswerState, ContextItem, ContextKind, QuoteView, TurnErrorView, UsageView } from '../shared/protocol';
import { ERROR_ACTION_IDS } from '../shared/protocol';
import type { AnswerVersion, Conversation, Turn } from './conversation';
import { endAttempt } from './conversation';

const ANSWER_STATES: readonly AnswerState[] = ['streaming', 'done', 'stopped', 'interrupted', 'incomplete', 'error'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function parseQuote(value: unknown): QuoteView | undefined {
  if (!isRecord(value)) return undefined;
  const code = text(value.code);
  const languageId = text(value.languageId);
  const fileLabel = text(value.fileLabel);
  const startLine = count(value.startLine);
  const endLine = count(value.endLine);
  if (code === undefined || languageId === undefined || fileLabel === undefined || startLine === undefined || endLine === undefined) {
    return undefined;
  }
  return { code, languageId, fileLabel, startLine, endLine };
}

const CONTEXT_KINDS: readonly ContextKind[] = ['file', 'selection', 'problems', 'terminal', 'changes'];

function parseContextItem(value: unknown): ContextItem | undefined {
  if (!isRecord(value)) return undefined;
  const id = text(value.id);
  const label = text(value.label);
  const body = text(value.text);
  const kind = CONTEXT_KINDS.find((candidate) => candidate === value.kind);
  if (id === undefined || label === undefined || body === undefined || kind === undefined) return undefined;
  const cutFrom = count(value.cutFrom);
  const languageId = text(value.languageId);
  return { id, kind, label, chars: body.length, text: body, ...(cutFrom === undefined ? {} : { cutFrom }), ...(languageId ? { languageId } : {}) };
}

/** A turn's attached context; an item that cannot be read is left out rather than losing the turn. */
function parseContext(value: unknown): ContextItem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = value.map(parseContextItem).filter((item): item is ContextItem => item !== undefined);
  return items.length > 0 ? items : undefined;
}

function parseUsage(value: unknown): UsageView | undefined {
  if (!isRecord(value)) return undefined;
  const inputTokens = count(value.inputTokens);
  const outputTokens = count(value.outputTokens);
  const totalTokens = count(value.totalTokens);
  if (inputTokens === undefined || outputTokens === undefined || totalTokens === undefined) return undefined;
  const reasoningTokens = count(value.reasoningTokens);
  return reasoningTokens === undefined
    ? { inputTokens, outputTokens, totalTokens }
    : { inputTokens, outputTokens, totalTokens, reasoningTokens };
}

function index(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function parseError(value: unknown): TurnErrorView | undefined {
  if (!isRecord(value) || typeof value.message !== 'string') return undefined;
  const actions = Array.isArray(value.actions) ? value.actions : [];
  return { message: value.message, actions: ERROR_ACTION_IDS.filter((action) => actions.includes(action)) };
}

/** One answer: the turn's own fields (the shown one) or one of its versions. */
function parseAnswer(value: Record<string, unknown>): AnswerVersion {
  let state = ANSWER_STATES.find((candidate) => candidate === value.state) ?? 'done';
  // A window closed while an answer streamed: what arrived is kept, marked as interrupted (with Retry).
  if (state === 'streaming') state = 'interrupted';
  const answer: { -readonly [K in keyof AnswerVersion]: AnswerVersion[K] } = { answer: text(value.answer) ?? '', state };
  const model = text(value.model);
  if (model) answer.model = model;
  const usage = parseUsage(value.usage);
  if (usage) answer.usage = usage;
  const incompleteReason = text(value.incompleteReason);
  if (incompleteReason) answer.incompleteReason = incompleteReason;
  const omittedTurns = count(value.omittedTurns);
  if (omittedTurns) answer.omittedTurns = omittedTurns;
  const error = parseError(value.error);
  if (error) answer.error = error;
  return answer;
}

export function parseTurn(value: unknown): Turn | undefined {
  if (!isRecord(value)) return undefined;
  const id = text(value.id);
  const question = text(value.question);
  if (!id || question === undefined) return undefined;
  const context = parseContext(value.context);
  const turn: Turn = { id, question, quote: parseQuote(value.quote), ...(context ? { context } : {}), ...parseAnswer(value), createdAt: count(value.createdAt) ?? 0 };
  const prompt = text(value.prompt);
  if (prompt) turn.prompt = prompt;
  // Turns stored before answers had versions have none of the fields below.
  const versions = Array.isArray(value.versions) ? value.versions.filter(isRecord).map(parseAnswer) : [];
  if (versions.length > 0) {
    turn.versions = versions;
    turn.versionIndex = Math.min(index(value.versionIndex) ?? versions.length, versions.length);
    const replacing = index(value.replacing);
    if (replacing !== undefined && replacing < versions.length) turn.replacing = replacing;
  }
  const attemptError = parseError(value.attemptError);
  if (attemptError) turn.attemptError = attemptError;
  // A window closed during a Regenerate: the answer from before is back unless the new one had text.
  endAttempt(turn);
  return turn;
}

export function parseConversation(value: unknown): Conversation | undefined {
  if (!isRecord(value)) return undefined;
  const id = text(value.id);
  if (!id) return undefined;
  const turns = Array.isArray(value.turns)
    ? value.turns.map(parseTurn).filter((turn): turn is Turn => turn !== undefined)
    : [];
  const createdAt = count(value.createdAt) ?? 0;
  const conversation: Conversation = {
    id,
    title: text(value.title) ?? '',
    createdAt,
    updatedAt: count(value.updatedAt) ?? createdAt,
    turns,
  };
  if (value.titleEdited === true) conversation.titleEdited = true;
  const contextStart = count(value.contextStart);
  if (contextStart) conversation.contextStart = contextStart;
  return conversation;
}


/** A turn as it would read back from disk: two turns are the same when these are equal. */
export function canonicalTurn(turn: Turn): string {
  return JSON.stringify(parseTurn(JSON.parse(JSON.stringify(turn))));
}
