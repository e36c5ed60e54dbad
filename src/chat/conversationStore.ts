import type { AnswerState, QuoteView, TurnErrorView, UsageView } from '../shared/protocol';
import { ERROR_ACTION_IDS } from '../shared/protocol';
import type { AnswerVersion, Conversation, Turn } from './conversation';
import { createConversation, endAttempt } from './conversation';

/**
 * Keeps a workspace's conversations across reloads and restarts. The storage is VS Code's `workspaceState` in the
 * extension; anything with `get`/`update` works (tests use a Map). Pure: no vscode import.
 */
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const STORAGE_KEY = 'anyapi.chat.conversations';
export const STORAGE_VERSION = 1;
/** Beyond this the least recently used conversations are dropped. */
export const MAX_CONVERSATIONS = 100;

export interface StoredState {
  readonly version: typeof STORAGE_VERSION;
  readonly activeId?: string;
  readonly conversations: readonly Conversation[];
}

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

function parseTurn(value: unknown): Turn | undefined {
  if (!isRecord(value)) return undefined;
  const id = text(value.id);
  const question = text(value.question);
  if (!id || question === undefined) return undefined;
  const turn: Turn = { id, question, quote: parseQuote(value.quote), ...parseAnswer(value), createdAt: count(value.createdAt) ?? 0 };
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

function parseConversation(value: unknown): Conversation | undefined {
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

/** Reads what was stored, dropping anything malformed rather than failing: history must never block the view. */
export function parseStoredState(value: unknown): { activeId?: string; conversations: Conversation[] } {
  if (!isRecord(value) || value.version !== STORAGE_VERSION || !Array.isArray(value.conversations)) {
    return { conversations: [] };
  }
  const conversations = value.conversations
    .map(parseConversation)
    .filter((conversation): conversation is Conversation => conversation !== undefined);
  const activeId = text(value.activeId);
  return { activeId: conversations.some((c) => c.id === activeId) ? activeId : undefined, conversations };
}

export class ConversationStore {
  private conversations: Conversation[];
  private activeId: string | undefined;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly newId: () => string,
    private readonly now: () => number = Date.now,
  ) {
    const stored = parseStoredState(storage.get<unknown>(STORAGE_KEY));
    this.conversations = stored.conversations;
    this.activeId = stored.activeId;
  }

  /** Most recently updated first. */
  list(): readonly Conversation[] {
    return [...this.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): Conversation | undefined {
    return this.conversations.find((conversation) => conversation.id === id);
  }

  /** The conversation the view shows; an empty one is created when there is none. */
  active(): Conversation {
    const found = this.activeId ? this.get(this.activeId) : undefined;
    if (found) return found;
    const latest = this.list()[0];
    if (latest) {
      this.activeId = latest.id;
      return latest;
    }
    return this.startNew();
  }

  /** New Chat: reuses the active conversation if it is still empty. */
  startNew(): Conversation {
    const current = this.activeId ? this.get(this.activeId) : undefined;
    if (current && current.turns.length === 0) {
      return current;
    }
    const conversation = createConversation(this.newId(), this.now());
    this.conversations.push(conversation);
    this.activeId = conversation.id;
    return conversation;
  }

  setActive(id: string): Conversation | undefined {
    const found = this.get(id);
    if (found) this.activeId = id;
    return found;
  }

  rename(id: string, title: string): boolean {
    const found = this.get(id);
    if (!found) return false;
    found.title = title.trim();
    found.titleEdited = found.title !== '';
    return true;
  }

  delete(id: string): boolean {
    const before = this.conversations.length;
    this.conversations = this.conversations.filter((conversation) => conversation.id !== id);
    if (this.activeId === id) this.activeId = undefined;
    return this.conversations.length !== before;
  }

  /** The stored form: empty conversations are not kept, and only the most recent MAX_CONVERSATIONS. */
  snapshot(): StoredState {
    const kept = this.list()
      .filter((conversation) => conversation.turns.length > 0)
      .slice(0, MAX_CONVERSATIONS);
    const keptIds = new Set(kept.map((conversation) => conversation.id));
    this.conversations = this.conversations.filter(
      (conversation) => keptIds.has(conversation.id) || conversation.id === this.activeId,
    );
    return {
      version: STORAGE_VERSION,
      activeId: this.activeId && keptIds.has(this.activeId) ? this.activeId : undefined,
      conversations: kept,
    };
  }

  async save(): Promise<void> {
    await this.storage.update(STORAGE_KEY, this.snapshot());
  }
}
