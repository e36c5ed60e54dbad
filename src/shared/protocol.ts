/**
 * The typed protocol between the chat view's host (extension) and its webview. Plain data only: no vscode, no DOM.
 * One discriminated union per direction. The webview starts with `ready`; the host answers with `init` (a full
 * snapshot) and queues everything else until then. An answer streams as `turnStarted`, `delta`…, then `done` or
 * `error`.
 */

/** A next step offered with an error (same ids as the host's error actions). */
export type ErrorActionId =
  | 'setApiKey'
  | 'openBaseUrlSetting'
  | 'openProxySetting'
  | 'selectModel'
  | 'retry'
  /** The chat only: send the last question again without the oldest turns of the conversation. */
  | 'retryFewerTurns'
  /** The chat only: a new conversation, with the failed question in the input. */
  | 'newChat'
  | 'showLog';

export interface UsageView {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly reasoningTokens?: number;
}

/** Code the user asked about, shown above the question. */
export interface QuoteView {
  readonly code: string;
  readonly languageId: string;
  /** Workspace-relative file name. */
  readonly fileLabel: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
}

/** What a context chip holds: a file, the selection, problems, terminal text or git changes. */
export type ContextKind = 'file' | 'selection' | 'problems' | 'terminal' | 'changes';

/** A context chip as the input shows it, before its question is sent. */
export interface ContextChipView {
  readonly id: string;
  readonly kind: ContextKind;
  /** e.g. `src/app.ts`, `Problems: src/app.ts`, `Terminal: npm test`. */
  readonly label: string;
  /** Characters sent. */
  readonly chars: number;
  /** The item was cut: how many characters it had. */
  readonly cutFrom?: number;
}

/** Context attached to a question: sent with it, stored with its turn, shown collapsed above it, exported. */
export interface ContextItem extends ContextChipView {
  readonly text: string;
  /** The fence's language: the file's language id, `diff`, `shell`. */
  readonly languageId?: string;
}

/** More than this of one item is cut, with a note in the chip, the transcript and the request. */
export const MAX_CONTEXT_ITEM_CHARS = 40_000;

/** How an answer ended (or that it is still being written). */
/** `interrupted`: the window closed (or the extension stopped) while the answer streamed; what arrived is kept. */
export type AnswerState = 'streaming' | 'done' | 'stopped' | 'interrupted' | 'incomplete' | 'error';

export interface TurnErrorView {
  /** What happened and what to do, localised, with the server's own words. */
  readonly message: string;
  readonly actions: readonly ErrorActionId[];
}

/** One answer to a turn's question: Regenerate keeps the earlier ones beside the new one. */
export interface AnswerVersionView {
  readonly answer: string;
  readonly state: Exclude<AnswerState, 'streaming'>;
  readonly model?: string;
  readonly usage?: UsageView;
  readonly incompleteReason?: string;
  readonly error?: TurnErrorView;
  /** How many of the conversation's first turns this answer's request left out (Retry With Fewer Turns). */
  readonly omittedTurns?: number;
}

/** Beyond this many answers to one question, Regenerate drops the oldest one not shown. */
export const MAX_ANSWER_VERSIONS = 10;

/** The shown answer's fields are the turn's own; its other answers are in `versions`. */
export interface TurnView {
  readonly id: string;
  readonly question: string;
  readonly quote?: QuoteView;
  /** Context chips sent with the question. */
  readonly context?: readonly ContextItem[];
  readonly answer: string;
  readonly state: AnswerState;
  readonly model?: string;
  readonly usage?: UsageView;
  readonly incompleteReason?: string;
  readonly error?: TurnErrorView;
  /** How many of the conversation's first turns this turn's request left out (to fit the model's context window, or by Retry With Fewer Turns). */
  readonly omittedTurns?: number;
  /** The question's other answers, oldest first; the shown one is number `versionIndex` (from 0) among all of them. */
  readonly versions?: readonly AnswerVersionView[];
  readonly versionIndex?: number;
  /** While a Regenerate or Retry runs: the answer shown before it, as an index into `versions` (shown again if it fails). */
  readonly replacing?: number;
  /** The last Regenerate or Retry failed: the shown answer is the one from before, and this says why. */
  readonly attemptError?: TurnErrorView;
}

export interface ConversationView {
  readonly id: string;
  readonly title: string;
  readonly turns: readonly TurnView[];
}

/** Whether the view can send at all, for the empty state. */
export interface StatusView {
  readonly hasKey: boolean;
  readonly model: string;
  /** Set when VS Code's secret storage cannot be used: what happened and what to do, shown in the empty state. */
  readonly secretStorageProblem?: string;
}

/** Every string the webview shows, localised by the host (so one l10n bundle covers the view). */
export interface WebviewStrings {
  readonly inputLabel: string;
  readonly inputPlaceholder: string;
  readonly inputHint: string;
  /** Shown and announced when the user tries to send while an answer is still streaming. */
  readonly busyHint: string;
  readonly send: string;
  readonly stop: string;
  readonly you: string;
  readonly assistant: string;
  readonly regenerate: string;
  /** The buttons that page between the answers Regenerate kept. */
  readonly previousVersion: string;
  readonly nextVersion: string;
  /** `{0}` is the number of the answer shown, `{1}` how many there are: the text between the two buttons. */
  readonly versionPosition: string;
  /** The same for a screen reader: the name of the group of those buttons. */
  readonly versionLabel: string;
  /** Over the error of a Regenerate or Retry that failed, the answer from before shown again above it. */
  readonly attemptFailed: string;
  readonly editQuestion: string;
  readonly editingBanner: string;
  readonly cancelEdit: string;
  readonly copy: string;
  readonly copied: string;
  readonly insertAtCursor: string;
  readonly replaceSelection: string;
  readonly codeBlockLabel: string;
  /** `{0}` is the number of invisible or text-direction characters in a code block. */
  readonly hiddenCharacters: string;
  readonly stopped: string;
  readonly interrupted: string;
  /** Said under an interrupted last answer, next to Retry. */
  readonly interruptedNotice: string;
  readonly incomplete: string;
  readonly thinking: string;
  readonly answerFinished: string;
  readonly usage: string;
  readonly reasoningUsage: string;
  /** `{0}` is how many of the conversation's first turns were left out of the request. */
  readonly omittedTurns: string;
  readonly emptyTitle: string;
  readonly emptyNoKey: string;
  readonly emptyReady: string;
  readonly setApiKey: string;
  readonly selectModel: string;
  readonly transcriptLabel: string;
  readonly quoteLabel: string;
  /** The composer's button that opens the context picker. */
  readonly addContext: string;
  /** The name of the list of chips in the input, and of a turn's attached context. */
  readonly contextLabel: string;
  /** `{0}` is a chip's name: its remove button. */
  readonly removeContext: string;
  /** `{0}` is how many characters an item had: shown on a chip that was cut. */
  readonly contextCut: string;
  readonly errorActions: Readonly<Record<ErrorActionId, string>>;
}

export type HostMessage =
  | {
      readonly type: 'init';
      readonly strings: WebviewStrings;
      readonly status: StatusView;
      readonly conversation: ConversationView;
      /** The chips waiting in the input. */
      readonly chips: readonly ContextChipView[];
    }
  | { readonly type: 'status'; readonly status: StatusView }
  /** Another conversation is shown (switch, New Chat, delete) or the current one changed as a whole. */
  | { readonly type: 'conversation'; readonly conversation: ConversationView }
  /** A turn begins to stream: a new question, a regenerated or retried answer (replaces the turn with that id). */
  | { readonly type: 'turnStarted'; readonly conversationId: string; readonly turn: TurnView }
  | { readonly type: 'delta'; readonly conversationId: string; readonly turnId: string; readonly text: string }
  /** The answer ended: completed, stopped or incomplete. Carries the whole final turn. */
  | { readonly type: 'done'; readonly conversationId: string; readonly turn: TurnView }
  /**
   * The answer failed; the turn keeps the question and any partial text. After a Regenerate or Retry the turn shows
   * the answer from before again, with the failure in `attemptError`.
   */
  | { readonly type: 'error'; readonly conversationId: string; readonly turn: TurnView }
  | { readonly type: 'focusInput' }
  /**
   * The host cannot take this question now (e.g. an answer is still streaming); it is put back in the input (never
   * dropped). `editing`: it was an edit of the last question, so the view stays in edit mode.
   */
  | { readonly type: 'restoreInput'; readonly text: string; readonly editing?: boolean }
  /**
   * The chips waiting in the input for the next question. `consumeHash`: they were picked after a `#` was typed, and
   * that `#` goes.
   */
  | { readonly type: 'contextChips'; readonly chips: readonly ContextChipView[]; readonly consumeHash?: boolean };

export type InsertMode = 'insert' | 'replace';

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'send'; readonly text: string }
  /** Edit and resend: replaces the last question (and its answer). */
  /** `turnId`: the turn the edit was started on; refused when it is no longer the last one. */
  | { readonly type: 'editLast'; readonly text: string; readonly turnId?: string }
  | { readonly type: 'stop' }
  | { readonly type: 'regenerate' }
  /** The answer's Previous / Next buttons: answer number `index` (from 0) of turn `turnId` is the one shown and sent. */
  | { readonly type: 'showVersion'; readonly turnId: string; readonly index: number }
  /** A button under a failed answer; `turnId` is that turn (Retry acts only on the last turn). */
  | { readonly type: 'errorAction'; readonly action: ErrorActionId; readonly turnId: string }
  | { readonly type: 'command'; readonly command: 'setApiKey' | 'selectModel' }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'insertCode'; readonly code: string; readonly mode: InsertMode }
  | { readonly type: 'openLink'; readonly href: string }
  /** The Add Context button, or `#` typed at the start of a word (`viaHash`). */
  | { readonly type: 'addContext'; readonly viaHash?: boolean }
  | { readonly type: 'removeContext'; readonly id: string };

export type HostMessageType = HostMessage['type'];

/**
 * Messages that a fresh `init` snapshot already contains. A view that was not ready yet gets the snapshot instead
 * of these (replaying them after it would show text twice); the rest of the queue is delivered after `init`.
 */
export function isSupersededBySnapshot(message: HostMessage): boolean {
  switch (message.type) {
    case 'init':
    case 'status':
    case 'conversation':
    case 'turnStarted':
    case 'delta':
    case 'done':
    case 'error':
    case 'contextChips':
      return true;
    case 'focusInput':
    case 'restoreInput':
      return false;
  }
}

/** Every next step an error can offer, in the order they are shown. */
export const ERROR_ACTION_IDS: readonly ErrorActionId[] = ['setApiKey', 'openBaseUrlSetting', 'openProxySetting', 'selectModel', 'retry', 'retryFewerTurns', 'newChat', 'showLog'];

/** Next steps that only the chat can take (they act on its conversation). */
export const CHAT_ONLY_ACTIONS: ReadonlySet<ErrorActionId> = new Set<ErrorActionId>(['retryFewerTurns', 'newChat']);

const ERROR_ACTIONS: ReadonlySet<string> = new Set<string>(ERROR_ACTION_IDS);

type Fields = Record<string, unknown>;
const text = (fields: Fields, key: string): string | undefined => (typeof fields[key] === 'string' ? (fields[key] as string) : undefined);
const ifText = <T>(value: string | undefined, make: (value: string) => T): T | undefined => (value === undefined ? undefined : make(value));

/**
 * One checker per webview message type: the type forces a checker for every member of the union, so the list of
 * accepted types and the checks cannot drift apart.
 */
const webviewMessageCheckers: { readonly [T in WebviewMessage['type']]: (fields: Fields) => Extract<WebviewMessage, { type: T }> | undefined } = {
  ready: () => ({ type: 'ready' }),
  stop: () => ({ type: 'stop' }),
  regenerate: () => ({ type: 'regenerate' }),
  showVersion: (fields) =>
    typeof fields.index === 'number' && Number.isInteger(fields.index) && fields.index >= 0 && fields.index < MAX_ANSWER_VERSIONS
      ? ifText(text(fields, 'turnId'), (turnId) => ({ type: 'showVersion', turnId, index: fields.index as number }))
      : undefined,
  send: (fields) => ifText(text(fields, 'text'), (value) => ({ type: 'send', text: value })),
  editLast: (fields) =>
    ifText(text(fields, 'text'), (value) => {
      const turnId = text(fields, 'turnId');
      return turnId ? { type: 'editLast', text: value, turnId } : { type: 'editLast', text: value };
    }),
  copy: (fields) => ifText(text(fields, 'text'), (value) => ({ type: 'copy', text: value })),
  openLink: (fields) => ifText(text(fields, 'href'), (value) => ({ type: 'openLink', href: value })),
  insertCode: (fields) =>
    fields.mode === 'insert' || fields.mode === 'replace'
      ? ifText(text(fields, 'code'), (code) => ({ type: 'insertCode', code, mode: fields.mode as InsertMode }))
      : undefined,
  errorAction: (fields) =>
    typeof fields.action === 'string' && ERROR_ACTIONS.has(fields.action)
      ? ifText(text(fields, 'turnId'), (turnId) => ({ type: 'errorAction', action: fields.action as ErrorActionId, turnId }))
      : undefined,
  addContext: (fields) => (fields.viaHash === true ? { type: 'addContext', viaHash: true } : { type: 'addContext' }),
  removeContext: (fields) => ifText(text(fields, 'id'), (id) => ({ type: 'removeContext', id })),
  command: (fields) => (fields.command === 'setApiKey' || fields.command === 'selectModel' ? { type: 'command', command: fields.command } : undefined),
};

/**
 * Checks a message from the webview before the host acts on it. The webview renders model output, so its
 * messages are treated as untrusted input: anything malformed is refused.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const fields = value as Fields;
  const type = fields.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(webviewMessageCheckers, type)) {
    return undefined;
  }
  return webviewMessageCheckers[type as WebviewMessage['type']](fields);
}

/**
 * The buttons shown under a failed answer. Retry writes the last answer again, so only the last turn offers it;
 * an older failed turn keeps its message and the other next steps.
 */
export function errorActionsFor(actions: readonly ErrorActionId[], isLastTurn: boolean): ErrorActionId[] {
  // Retry and its fewer-turns variant rewrite the last answer; New Chat from an older error would carry an old question.
  return isLastTurn ? [...actions] : actions.filter((action) => action !== 'retry' && !CHAT_ONLY_ACTIONS.has(action));
}

/** The shown answer of a turn as one of its versions (none while it is still being written). */
export function shownVersionOf(turn: TurnView): AnswerVersionView | undefined {
  if (turn.state === 'streaming') return undefined;
  const version: { -readonly [K in keyof AnswerVersionView]: AnswerVersionView[K] } = { answer: turn.answer, state: turn.state };
  if (turn.model !== undefined) version.model = turn.model;
  if (turn.usage !== undefined) version.usage = turn.usage;
  if (turn.incompleteReason !== undefined) version.incompleteReason = turn.incompleteReason;
  if (turn.error !== undefined) version.error = turn.error;
  if (turn.omittedTurns !== undefined) version.omittedTurns = turn.omittedTurns;
  return version;
}

/** Where the shown answer is among all the answers of a turn (from 0); while it is being written, the last place. */
export function versionIndexOf(turn: TurnView): number {
  const others = turn.versions?.length ?? 0;
  return Math.max(0, Math.min(turn.versionIndex ?? others, others));
}

/** Every answer of a turn, oldest first: its other versions with the shown one (if finished) in its place. */
export function answerVersionsOf(turn: TurnView): AnswerVersionView[] {
  const others = turn.versions ?? [];
  const shown = shownVersionOf(turn);
  if (!shown) return [...others];
  const at = versionIndexOf(turn);
  return [...others.slice(0, at), shown, ...others.slice(at)];
}

/** The turn showing its answer number `index` instead; undefined while it streams or when there is no such answer. */
export function showingVersion(turn: TurnView, index: number): TurnView | undefined {
  const all = answerVersionsOf(turn);
  const shown = all[index];
  if (turn.state === 'streaming' || !Number.isInteger(index) || !shown) return undefined;
  const versions = all.filter((_, at) => at !== index);
  // A failed Regenerate's notice is about the answer shown then: paging away ends it.
  const base = { id: turn.id, question: turn.question, ...(turn.quote ? { quote: turn.quote } : {}), ...(turn.context ? { context: turn.context } : {}), ...shown };
  return versions.length > 0 ? { ...base, versions, versionIndex: index } : base;
}

/** A question the host gave back goes into the input without losing what the user typed meanwhile. */
export function restoredInput(draft: string, text: string): string {
  if (!draft.trim()) return text;
  if (draft.trim() === text.trim()) return draft;
  return `${draft.trimEnd()}\n\n${text}`;
}
