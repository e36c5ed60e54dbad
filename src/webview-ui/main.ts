import '@vscode/codicons/dist/codicon.css';
import './chat.css';
import type {
  ConversationView,
  ErrorActionId,
  HostMessage,
  StatusView,
  TurnView,
  WebviewMessage,
  WebviewStrings,
} from '../shared/protocol';
import { errorActionsFor, restoredInput } from '../shared/protocol';
import { renderMarkdown } from './markdown';
import { StreamView } from './streamView';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives hiding and reloading the view on the webview side; the conversation itself is the host's. */
interface ViewState {
  draft: string;
  editing: boolean;
  conversationId?: string;
  scrollTop?: number;
}

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as Partial<ViewState>;
const viewState: ViewState = { draft: typeof saved.draft === 'string' ? saved.draft : '', editing: saved.editing === true };
if (typeof saved.conversationId === 'string') viewState.conversationId = saved.conversationId;
if (typeof saved.scrollTop === 'number') viewState.scrollTop = saved.scrollTop;

let strings: WebviewStrings | undefined;
let status: StatusView = { hasKey: true, model: '' };
let conversation: ConversationView | undefined;
let turns: TurnView[] = [];
const streams = new Map<string, StreamView>();

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function saveState(): void {
  vscode.setState(viewState);
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

function icon(name: string): HTMLElement {
  return element('span', { className: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

function button(label: string, iconName: string, attrs: Record<string, string>, options: { iconOnly?: boolean; primary?: boolean } = {}): HTMLButtonElement {
  const node = element('button', {
    className: `${options.iconOnly ? 'icon-button' : 'text-button'}${options.primary ? ' primary' : ''}`,
    attrs: { type: 'button', title: label, 'aria-label': label, ...attrs },
  });
  node.appendChild(icon(iconName));
  if (!options.iconOnly) node.appendChild(element('span', { text: label }));
  return node;
}

function format(template: string, ...values: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => String(values[Number(index)] ?? match));
}

// ---- layout ----------------------------------------------------------------------------------------------

const app = document.getElementById('app') as HTMLElement;
const transcript = element('div', { className: 'transcript', attrs: { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' } });
const liveStatus = element('div', { className: 'visually-hidden', attrs: { role: 'status', 'aria-live': 'polite' } });
const editBanner = element('div', { className: 'edit-banner', attrs: { hidden: '' } });
const input = element('textarea', { className: 'input', attrs: { rows: '3', id: 'chat-input', 'aria-describedby': 'chat-hint' } });
const hint = element('div', { className: 'hint', attrs: { id: 'chat-hint' } });
const sendButton = element('button', { className: 'icon-button primary send', attrs: { type: 'button', 'data-action': 'send' } }, icon('send'));
const stopButton = element('button', { className: 'icon-button stop', attrs: { type: 'button', 'data-action': 'stop', hidden: '' } }, icon('debug-stop'));
const composer = element(
  'div',
  { className: 'composer' },
  editBanner,
  input,
  element('div', { className: 'composer-footer' }, hint, element('div', { className: 'composer-buttons' }, stopButton, sendButton)),
);
app.replaceChildren(transcript, composer, liveStatus);

function applyStrings(s: WebviewStrings): void {
  transcript.setAttribute('aria-label', s.transcriptLabel);
  input.setAttribute('aria-label', s.inputLabel);
  input.placeholder = s.inputPlaceholder;
  hint.textContent = s.inputHint;
  for (const [node, label] of [
    [sendButton, s.send],
    [stopButton, s.stop],
  ] as const) {
    node.title = label;
    node.setAttribute('aria-label', label);
  }
  editBanner.replaceChildren(
    element('span', { text: s.editingBanner }),
    button(s.cancelEdit, 'close', { 'data-action': 'cancelEdit' }, { iconOnly: true }),
  );
}

// ---- rendering -------------------------------------------------------------------------------------------

function isStreaming(): boolean {
  return turns.some((turn) => turn.state === 'streaming');
}

/** Whether the transcript keeps the newest text in view (the user has not scrolled up). */
let followOutput = true;

function nearBottom(): boolean {
  return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 48;
}

function scrollToBottom(): void {
  transcript.scrollTop = transcript.scrollHeight;
}

/** Adds Copy / Insert at Cursor / Replace Selection to every finished code block in `root`. */
function decorateCodeBlocks(root: HTMLElement): void {
  if (!strings) return;
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const code = pre.querySelector('code');
    const language = /language-([\w+-]+)/.exec(code?.className ?? '')?.[1] ?? '';
    const toolbar = element(
      'div',
      { className: 'code-toolbar', attrs: { role: 'toolbar', 'aria-label': language ? `${strings.codeBlockLabel} (${language})` : strings.codeBlockLabel } },
      element('span', { className: 'code-language', text: language }),
      button(strings.copy, 'copy', { 'data-action': 'copyCode' }, { iconOnly: true }),
      button(strings.insertAtCursor, 'insert', { 'data-action': 'insertCode' }, { iconOnly: true }),
      button(strings.replaceSelection, 'replace', { 'data-action': 'replaceCode' }, { iconOnly: true }),
    );
    const wrapper = element('div', { className: 'code-block' });
    pre.replaceWith(wrapper);
    wrapper.append(toolbar, pre);
    pre.tabIndex = 0;
  }
}

function renderAnswerInto(container: HTMLElement, markdown: string): void {
  container.innerHTML = renderMarkdown(markdown);
  decorateCodeBlocks(container);
}

function renderEmptyState(): HTMLElement {
  const s = strings as WebviewStrings;
  const actions = element('div', { className: 'empty-actions' });
  if (!status.hasKey) actions.appendChild(button(s.setApiKey, 'key', { 'data-action': 'command', 'data-command': 'setApiKey' }, { primary: true }));
  actions.appendChild(button(s.selectModel, 'symbol-misc', { 'data-action': 'command', 'data-command': 'selectModel' }));
  return element(
    'div',
    { className: 'empty-state' },
    element('div', { className: 'empty-icon' }, icon('comment-discussion')),
    element('h2', { text: s.emptyTitle }),
    element('p', { text: status.hasKey ? format(s.emptyReady, status.model) : s.emptyNoKey }),
    actions,
  );
}

function renderQuestion(turn: TurnView, isLast: boolean): HTMLElement {
  const s = strings as WebviewStrings;
  const header = element('div', { className: 'role' }, icon('account'), element('span', { text: s.you }));
  if (isLast && !isStreaming()) {
    header.appendChild(button(s.editQuestion, 'edit', { 'data-action': 'editLast' }, { iconOnly: true }));
  }
  const node = element('div', { className: 'question' }, header);
  if (turn.quote) {
    const quote = turn.quote;
    const lines = quote.startLine === quote.endLine ? `${quote.startLine}` : `${quote.startLine}-${quote.endLine}`;
    const fence = '`'.repeat(Math.max(3, ...Array.from(quote.code.matchAll(/`+/g), (m) => m[0].length + 1)));
    const body = element('div', { className: 'markdown' });
    renderAnswerInto(body, `${fence}${quote.languageId}\n${quote.code}\n${fence}`);
    node.appendChild(
      element('div', { className: 'quote', attrs: { role: 'group', 'aria-label': `${s.quoteLabel}: ${quote.fileLabel}:${lines}` } },
        element('div', { className: 'quote-label', text: `${quote.fileLabel}:${lines}` }),
        body,
      ),
    );
  }
  node.appendChild(element('div', { className: 'question-text', text: turn.question }));
  return node;
}

function renderMeta(turn: TurnView): HTMLElement | undefined {
  const s = strings as WebviewStrings;
  const parts: string[] = [];
  if (turn.model) parts.push(turn.model);
  if (turn.usage) {
    parts.push(format(s.usage, turn.usage.inputTokens, turn.usage.outputTokens));
    if (turn.usage.reasoningTokens) parts.push(format(s.reasoningUsage, turn.usage.reasoningTokens));
  }
  if (turn.state === 'stopped') parts.push(s.stopped);
  if (turn.state === 'incomplete') parts.push(turn.incompleteReason ? `${s.incomplete} (${turn.incompleteReason})` : s.incomplete);
  if (parts.length === 0) return undefined;
  return element('div', { className: `meta${turn.state === 'stopped' || turn.state === 'incomplete' ? ' warn' : ''}`, text: parts.join(' · ') });
}

function renderError(turn: TurnView, isLast: boolean): HTMLElement | undefined {
  if (turn.state !== 'error' || !turn.error) return undefined;
  const s = strings as WebviewStrings;
  const actions = element('div', { className: 'error-actions' });
  // Retry rewrites the last answer, so an older failed turn shows its error without it.
  errorActionsFor(turn.error.actions, isLast).forEach((action: ErrorActionId, index) => {
    actions.appendChild(
      button(s.errorActions[action], action === 'retry' ? 'refresh' : action === 'setApiKey' ? 'key' : action === 'showLog' ? 'output' : 'settings-gear', {
        'data-action': 'errorAction',
        'data-error-action': action,
      }, { primary: index === 0 }),
    );
  });
  return element('div', { className: 'error', attrs: { role: 'alert' } }, icon('error'), element('div', { className: 'error-body' }, element('p', { text: turn.error.message }), actions));
}

function renderTurn(turn: TurnView, isLast: boolean): HTMLElement {
  const s = strings as WebviewStrings;
  const section = element('section', { className: 'turn', attrs: { 'data-turn-id': turn.id } });
  section.appendChild(renderQuestion(turn, isLast));
  const answer = element('div', { className: 'answer' });
  answer.appendChild(element('div', { className: 'role' }, icon('sparkle'), element('span', { text: s.assistant })));
  const body = element('div', { className: 'markdown' });
  answer.appendChild(body);
  if (turn.state === 'streaming') {
    answer.setAttribute('aria-busy', 'true');
    // A rebuilt element gets a new stream view that starts from everything received so far.
    const previous = streams.get(turn.id);
    const waiting = element('div', { className: 'waiting', text: s.thinking });
    const stream: StreamView = new StreamView(body, decorateCodeBlocks, () => onStreamRendered(stream, waiting));
    streams.set(turn.id, stream);
    stream.append(previous ? previous.text : turn.answer);
    answer.appendChild(waiting);
  } else if (turn.answer) {
    renderAnswerInto(body, turn.answer);
  }
  const error = renderError(turn, isLast);
  if (error) answer.appendChild(error);
  const meta = renderMeta(turn);
  if (meta) answer.appendChild(meta);
  if (isLast && turn.state !== 'streaming' && turn.state !== 'error') {
    answer.appendChild(element('div', { className: 'answer-actions' }, button(s.regenerate, 'refresh', { 'data-action': 'regenerate' })));
  }
  section.appendChild(answer);
  return section;
}

/** A streaming answer keeps its element (and its frozen blocks); only the controls around it are rebuilt. */
function renderAll(): void {
  if (!strings) return;
  const stickToBottom = nearBottom();
  if (turns.length === 0) {
    streams.clear();
    transcript.replaceChildren(renderEmptyState());
  } else {
    const nodes = turns.map((turn, index) => {
      const existing = streams.get(turn.id);
      if (turn.state === 'streaming' && existing) {
        const current = transcript.querySelector<HTMLElement>(`section[data-turn-id="${CSS.escape(turn.id)}"]`);
        if (current) return current;
      }
      return renderTurn(turn, index === turns.length - 1);
    });
    transcript.replaceChildren(...nodes);
  }
  updateComposer();
  if (stickToBottom) scrollToBottom();
}

function replaceTurnElement(turn: TurnView): void {
  const index = turns.findIndex((candidate) => candidate.id === turn.id);
  const current = transcript.querySelector<HTMLElement>(`section[data-turn-id="${CSS.escape(turn.id)}"]`);
  if (!current || index === -1) {
    renderAll();
    return;
  }
  const stickToBottom = nearBottom();
  current.replaceWith(renderTurn(turn, index === turns.length - 1));
  const previous = turns[index - 1];
  if (previous) demoteTurn(previous.id);
  updateComposer();
  if (stickToBottom) scrollToBottom();
}

/**
 * A turn that is no longer the last loses the controls only the last turn has (Edit, Regenerate, Retry). They are
 * removed in place: re-adding the turn would make the polite log region read an old answer again.
 */
function demoteTurn(id: string): void {
  const section = transcript.querySelector<HTMLElement>(`section[data-turn-id="${CSS.escape(id)}"]`);
  if (!section) return;
  for (const control of Array.from(section.querySelectorAll('[data-action="editLast"], .answer-actions, [data-error-action="retry"]'))) {
    control.remove();
  }
}

/** A new question is added to the transcript; nothing already there is rebuilt (so nothing is announced twice). */
function appendTurnElement(turn: TurnView): void {
  const last = transcript.lastElementChild;
  const previousId = turns.at(-2)?.id;
  if (!previousId || !(last instanceof HTMLElement) || last.dataset.turnId !== previousId) {
    renderAll();
    return;
  }
  demoteTurn(previousId);
  transcript.appendChild(renderTurn(turn, true));
  updateComposer();
}

/** Runs after every render of a streaming answer: only O(1) work here, it runs per frame of a long answer. */
function onStreamRendered(stream: StreamView, waiting: HTMLElement): void {
  if (followOutput) scrollToBottom();
  if (waiting.isConnected && stream.text.trim()) waiting.remove();
}

function updateComposer(): void {
  const streaming = isStreaming();
  sendButton.hidden = streaming;
  stopButton.hidden = !streaming;
  if (!streaming && composer.classList.contains('busy')) {
    composer.classList.remove('busy');
    hint.textContent = strings?.inputHint ?? '';
  }
  editBanner.hidden = !viewState.editing;
  composer.classList.toggle('editing', viewState.editing);
}

function announce(text: string): void {
  liveStatus.textContent = '';
  requestAnimationFrame(() => (liveStatus.textContent = text));
}

// ---- host messages ---------------------------------------------------------------------------------------

function showConversation(next: ConversationView): void {
  if (conversation?.id !== next.id) {
    viewState.editing = false;
  }
  conversation = next;
  turns = [...next.turns];
  for (const id of Array.from(streams.keys())) {
    if (!turns.some((turn) => turn.id === id && turn.state === 'streaming')) streams.delete(id);
  }
  viewState.conversationId = next.id;
  saveState();
  renderAll();
}

function endTurn(turn: TurnView): void {
  const index = turns.findIndex((candidate) => candidate.id === turn.id);
  if (index === -1) return;
  turns[index] = turn;
  const stream = streams.get(turn.id);
  streams.delete(turn.id);
  const section = transcript.querySelector<HTMLElement>(`section[data-turn-id="${CSS.escape(turn.id)}"]`);
  const body = section?.querySelector<HTMLElement>('.answer .markdown');
  const answer = body?.parentElement;
  if (stream && section && body && answer && stream.text === turn.answer) {
    stream.finish();
    // Keep the rendered blocks where they are (moving a long answer's subtree restyles all of it); rebuild only
    // the question and the controls around the answer.
    const fresh = renderTurn({ ...turn, answer: '' }, index === turns.length - 1);
    const freshAnswer = fresh.querySelector<HTMLElement>('.answer');
    const freshBody = freshAnswer?.querySelector('.markdown');
    const freshQuestion = fresh.querySelector('.question');
    if (freshQuestion) section.querySelector('.question')?.replaceWith(freshQuestion);
    for (const child of Array.from(answer.children)) if (child !== body) child.remove();
    answer.removeAttribute('aria-busy');
    let beforeBody = true;
    for (const child of Array.from(freshAnswer?.childNodes ?? [])) {
      if (child === freshBody) beforeBody = false;
      else if (beforeBody) answer.insertBefore(child, body);
      else answer.appendChild(child);
    }
    updateComposer();
    if (followOutput) scrollToBottom();
  } else {
    replaceTurnElement(turn);
  }
  if (!strings) return;
  if (turn.state === 'error' && turn.error) announce(turn.error.message);
  else if (turn.state === 'stopped') announce(strings.stopped);
  else announce(strings.answerFinished);
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      strings = message.strings;
      status = message.status;
      applyStrings(message.strings);
      if (viewState.conversationId && viewState.conversationId !== message.conversation.id) {
        viewState.scrollTop = undefined;
      }
      showConversation(message.conversation);
      if (viewState.scrollTop !== undefined) transcript.scrollTop = viewState.scrollTop;
      return;
    case 'status':
      status = message.status;
      if (turns.length === 0) renderAll();
      return;
    case 'conversation':
      showConversation(message.conversation);
      return;
    case 'turnStarted': {
      if (message.conversationId !== conversation?.id) return;
      streams.delete(message.turn.id);
      const index = turns.findIndex((turn) => turn.id === message.turn.id);
      if (index === -1) {
        turns.push(message.turn);
        appendTurnElement(message.turn);
      } else {
        turns[index] = message.turn;
        replaceTurnElement(message.turn);
      }
      scrollToBottom();
      return;
    }
    case 'delta':
      if (message.conversationId !== conversation?.id) return;
      streams.get(message.turnId)?.append(message.text);
      return;
    case 'done':
    case 'error':
      if (message.conversationId !== conversation?.id) return;
      endTurn(message.turn);
      return;
    case 'focusInput':
      input.focus();
      return;
    case 'restoreInput':
      // Never drop the question: it joins whatever was typed meanwhile, and an edit stays an edit.
      input.value = restoredInput(input.value, message.text);
      if (message.editing) viewState.editing = true;
      viewState.draft = input.value;
      saveState();
      updateComposer();
      return;
  }
});

// ---- user input ------------------------------------------------------------------------------------------

/** Sending while an answer streams is refused out loud: the question stays in the input, Stop is next to it. */
function showBusy(): void {
  if (!strings) return;
  composer.classList.add('busy');
  hint.textContent = strings.busyHint;
  announce(strings.busyHint);
}

function submit(): void {
  const text = input.value;
  if (!text.trim()) return;
  if (isStreaming()) {
    showBusy();
    return;
  }
  post(viewState.editing ? { type: 'editLast', text } : { type: 'send', text });
  input.value = '';
  viewState.draft = '';
  viewState.editing = false;
  saveState();
  updateComposer();
}

function startEdit(): void {
  const last = turns.at(-1);
  if (!last || isStreaming()) return;
  input.value = last.question;
  viewState.editing = true;
  viewState.draft = last.question;
  saveState();
  // The banner makes the transcript shorter: keep the last answer's controls in view.
  const stickToBottom = nearBottom();
  updateComposer();
  if (stickToBottom) scrollToBottom();
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

function cancelEdit(): void {
  viewState.editing = false;
  input.value = '';
  viewState.draft = '';
  saveState();
  updateComposer();
  input.focus();
}

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  } else if (event.key === 'Escape' && viewState.editing) {
    event.preventDefault();
    cancelEdit();
  }
});
input.addEventListener('input', () => {
  viewState.draft = input.value;
  saveState();
});

let scrollSaveFrame = 0;
transcript.addEventListener('scroll', () => {
  // Streaming follows the answer until the user scrolls up; scrolling back to the end follows again.
  followOutput = nearBottom();
  if (scrollSaveFrame) return;
  scrollSaveFrame = requestAnimationFrame(() => {
    scrollSaveFrame = 0;
    viewState.scrollTop = transcript.scrollTop;
    saveState();
  });
});

function codeOf(target: Element): string {
  return target.closest('.code-block')?.querySelector('pre code')?.textContent ?? '';
}

function openLinkFrom(target: Element): boolean {
  const link = target.closest<HTMLElement>('a[data-href]');
  if (!link) return false;
  post({ type: 'openLink', href: link.dataset.href ?? '' });
  return true;
}

app.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : undefined;
  if (!target) return;
  if (target.closest('a')) {
    event.preventDefault();
    openLinkFrom(target);
    return;
  }
  const actionElement = target.closest<HTMLElement>('[data-action]');
  if (!actionElement) return;
  switch (actionElement.dataset.action) {
    case 'send':
      submit();
      return;
    case 'stop':
      post({ type: 'stop' });
      return;
    case 'regenerate':
      post({ type: 'regenerate' });
      return;
    case 'editLast':
      startEdit();
      return;
    case 'cancelEdit':
      cancelEdit();
      return;
    case 'copyCode':
      post({ type: 'copy', text: codeOf(actionElement) });
      if (strings) announce(strings.copied);
      return;
    case 'insertCode':
      post({ type: 'insertCode', code: codeOf(actionElement), mode: 'insert' });
      return;
    case 'replaceCode':
      post({ type: 'insertCode', code: codeOf(actionElement), mode: 'replace' });
      return;
    case 'errorAction': {
      const action = actionElement.dataset.errorAction as ErrorActionId | undefined;
      const turnId = actionElement.closest<HTMLElement>('section.turn')?.dataset.turnId;
      if (action && turnId) post({ type: 'errorAction', action, turnId });
      return;
    }
    case 'command': {
      const command = actionElement.dataset.command;
      if (command === 'setApiKey' || command === 'selectModel') post({ type: 'command', command });
      return;
    }
  }
});

// Links have no href (nothing opens without the host); keyboard users activate them with Enter.
app.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && event.target instanceof Element && event.target.matches('a[data-href]')) {
    event.preventDefault();
    openLinkFrom(event.target);
  }
});
app.addEventListener('auxclick', (event) => {
  if (event.target instanceof Element && event.target.closest('a')) event.preventDefault();
});

input.value = viewState.draft;
updateComposer();
post({ type: 'ready' });
