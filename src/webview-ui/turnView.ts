// Builds the DOM of one turn (quoted code, question, answer, error, meta line, controls) and of the empty state.
import type { ErrorActionId, TurnErrorView, TurnView, WebviewStrings } from '../shared/protocol';
import { countHiddenCharacters } from '../shared/hiddenCharacters';
import { errorActionsFor, showingVersion, versionIndexOf } from '../shared/protocol';
import { renderTurnContext } from './contextChips';
import { button, element, format, icon } from './dom';
import { renderMarkdown } from './markdown';
import { followsOutput, scrollToBottom } from './scroll';
import { isStreaming, session, streams } from './session';
import { enqueueRender } from './renderQueue';
import { StreamView } from './streamView';

/** A finished answer longer than this is shown in steps (see `renderFinishedAnswer`). */
const STEPPED_ANSWER_CHARS = 8_000;
/** How much of a long answer one step takes in. */
const STEP_CHARS = 1_000;

/** Adds Copy / Insert at Cursor / Replace Selection to every finished code block in `root`. */
function decorateCodeBlocks(root: HTMLElement): void {
  const strings = session.strings;
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
    wrapper.append(toolbar);
    const hidden = countHiddenCharacters(code?.textContent ?? pre.textContent ?? '');
    if (hidden > 0) {
      wrapper.append(element('div', { className: 'code-warning', attrs: { role: 'note' }, text: format(strings.hiddenCharacters, hidden) }));
    }
    wrapper.append(pre);
    pre.tabIndex = 0;
  }
}

function renderAnswerInto(container: HTMLElement, markdown: string): void {
  container.innerHTML = renderMarkdown(markdown);
  decorateCodeBlocks(container);
}

let followRequested = false;

/** A transcript showing its end keeps showing it while an answer grows in steps: once a frame, not once a step. */
function followOnNextFrame(): void {
  if (followRequested) return;
  followRequested = true;
  requestAnimationFrame(() => {
    followRequested = false;
    if (followsOutput()) scrollToBottom();
  });
}

/**
 * A finished answer. A long one is rendered block by block over several tasks, the way a streamed one is (so it looks
 * the same as rendered at once): its beginning at once, the rest in steps. The answer is marked busy meanwhile (as
 * while it streams), so a screen reader reads it once, whole. Rendering stops if the element leaves the view (another
 * conversation, a newer render of the turn).
 */
function renderFinishedAnswer(container: HTMLElement, markdown: string): void {
  if (markdown.length <= STEPPED_ANSWER_CHARS) {
    renderAnswerInto(container, markdown);
    return;
  }
  const view = new StreamView(container, decorateCodeBlocks, () => undefined);
  const busy = container.parentElement ?? container;
  busy.setAttribute('aria-busy', 'true');
  let at = 0;
  const step = (): boolean => {
    const end = Math.min(markdown.length, at + STEP_CHARS);
    view.feed(markdown.slice(at, end));
    at = end;
    const done = at >= markdown.length;
    if (done) {
      view.finish();
      busy.removeAttribute('aria-busy');
    }
    followOnNextFrame();
    return done;
  };
  step();
  enqueueRender(() => !container.isConnected || step());
}

export function renderEmptyState(): HTMLElement {
  const s = session.strings as WebviewStrings;
  const status = session.status;
  const actions = element('div', { className: 'empty-actions' });
  if (!status.hasKey) actions.appendChild(button(s.setApiKey, 'key', { 'data-action': 'command', 'data-command': 'setApiKey' }, { primary: true }));
  actions.appendChild(button(s.selectModel, 'symbol-misc', { 'data-action': 'command', 'data-command': 'selectModel' }));
  return element(
    'div',
    { className: 'empty-state' },
    element('div', { className: 'empty-icon' }, icon('comment-discussion')),
    element('h2', { text: s.emptyTitle }),
    ...(status.secretStorageProblem
      ? [element('p', { className: 'secret-storage-problem', attrs: { role: 'alert' }, text: status.secretStorageProblem })]
      : [element('p', { text: status.hasKey ? format(s.emptyReady, status.model) : s.emptyNoKey })]),
    actions,
  );
}

function renderQuestion(turn: TurnView, isLast: boolean): HTMLElement {
  const s = session.strings as WebviewStrings;
  const header = element('div', { className: 'role' }, icon('account'), element('span', { text: s.you }));
  if (isLast && !isStreaming()) {
    header.appendChild(button(s.editQuestion, 'edit', { 'data-action': 'editLast' }, { iconOnly: true }));
  }
  const node = element('div', { className: 'question' }, header);
  if (turn.context?.length) node.appendChild(renderTurnContext(turn.context));
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
  const s = session.strings as WebviewStrings;
  const parts: string[] = [];
  if (turn.model) parts.push(turn.model);
  if (turn.usage) {
    parts.push(format(s.usage, turn.usage.inputTokens, turn.usage.outputTokens));
    if (turn.usage.reasoningTokens) parts.push(format(s.reasoningUsage, turn.usage.reasoningTokens));
  }
  if (turn.omittedTurns) parts.push(format(s.omittedTurns, turn.omittedTurns));
  if (turn.state === 'stopped') parts.push(s.stopped);
  if (turn.state === 'interrupted') parts.push(s.interrupted);
  if (turn.state === 'incomplete') parts.push(turn.incompleteReason ? `${s.incomplete} (${turn.incompleteReason})` : s.incomplete);
  if (parts.length === 0) return undefined;
  const warn = turn.state === 'stopped' || turn.state === 'interrupted' || turn.state === 'incomplete';
  return element('div', { className: `meta${warn ? ' warn' : ''}`, text: parts.join(' · ') });
}

/** The codicon of each next step's button. */
const ERROR_ACTION_ICONS: Readonly<Record<ErrorActionId, string>> = {
  setApiKey: 'key',
  openBaseUrlSetting: 'settings-gear',
  openProxySetting: 'settings-gear',
  selectModel: 'settings-gear',
  retry: 'refresh',
  retryFewerTurns: 'fold-up',
  newChat: 'add',
  showLog: 'output',
};

function renderError(turn: TurnView, isLast: boolean): HTMLElement | undefined {
  if (turn.state === 'interrupted') {
    // The window closed on this answer: what arrived is shown; the last one can be asked again.
    return isLast ? errorBox({ message: (session.strings as WebviewStrings).interruptedNotice, actions: ['retry', 'showLog'] }, true) : undefined;
  }
  if (turn.state !== 'error' || !turn.error) return undefined;
  return errorBox(turn.error, isLast);
}

/** A Regenerate or Retry that failed: said under the answer from before, which is shown again. */
function renderAttemptError(turn: TurnView, isLast: boolean): HTMLElement | undefined {
  if (turn.state === 'streaming' || !turn.attemptError) return undefined;
  return errorBox(turn.attemptError, isLast, (session.strings as WebviewStrings).attemptFailed);
}

function errorBox(error: TurnErrorView, isLast: boolean, title?: string): HTMLElement {
  const s = session.strings as WebviewStrings;
  const actions = element('div', { className: 'error-actions' });
  // Retry rewrites the last answer, so an older failed turn shows its error without it.
  errorActionsFor(error.actions, isLast).forEach((action: ErrorActionId, index) => {
    actions.appendChild(
      button(s.errorActions[action], ERROR_ACTION_ICONS[action], {
        'data-action': 'errorAction',
        'data-error-action': action,
      }, { primary: index === 0 }),
    );
  });
  const body = element('div', { className: 'error-body' });
  if (title) body.appendChild(element('p', { className: 'error-title', text: title }));
  body.append(element('p', { text: error.message }), actions);
  return element('div', { className: 'error', attrs: { role: 'alert' } }, icon('error'), body);
}

/** ‹ 2 of 3 ›: pages between the answers Regenerate kept for the question. */
function renderVersions(turn: TurnView): HTMLElement | undefined {
  const others = turn.versions?.length ?? 0;
  if (others === 0 || turn.state === 'streaming') return undefined;
  const s = session.strings as WebviewStrings;
  const shown = versionIndexOf(turn);
  const total = others + 1;
  const previous = button(s.previousVersion, 'chevron-left', { 'data-action': 'showVersion', 'data-version-step': 'previous' }, { iconOnly: true });
  const next = button(s.nextVersion, 'chevron-right', { 'data-action': 'showVersion', 'data-version-step': 'next' }, { iconOnly: true });
  previous.disabled = shown === 0;
  next.disabled = shown === total - 1;
  return element(
    'div',
    { className: 'answer-versions', attrs: { role: 'group', 'aria-label': format(s.versionLabel, shown + 1, total) } },
    previous,
    element('span', { className: 'version-position', attrs: { 'aria-hidden': 'true' }, text: format(s.versionPosition, shown + 1, total) }),
    next,
  );
}

/**
 * Previous / Next: the turn of `control` shows its other answer in place, the focus staying on the buttons, and the
 * view's copy of the turn follows. Returns what the host is to be told, or nothing when there is no such answer.
 */
export function showVersionInPlace(control: HTMLElement): { turnId: string; index: number } | undefined {
  const section = control.closest<HTMLElement>('section.turn');
  const index = session.turns.findIndex((candidate) => candidate.id === section?.dataset.turnId);
  const turn = session.turns[index];
  const step = control.dataset.versionStep === 'previous' ? -1 : 1;
  const target = turn ? versionIndexOf(turn) + step : -1;
  const paged = turn && showingVersion(turn, target);
  const current = section?.querySelector('.answer');
  if (!paged || !current) return undefined;
  session.turns[index] = paged;
  const fresh = renderTurn(paged, index === session.turns.length - 1).querySelector<HTMLElement>('.answer');
  if (!fresh) return undefined;
  current.replaceWith(fresh);
  const buttons = Array.from(fresh.querySelectorAll<HTMLButtonElement>('[data-action="showVersion"]'));
  const same = buttons.find((candidate) => candidate.dataset.versionStep === control.dataset.versionStep && !candidate.disabled);
  (same ?? buttons.find((candidate) => !candidate.disabled))?.focus();
  return { turnId: paged.id, index: target };
}

/** Runs after every render of a streaming answer: only O(1) work here, it runs per frame of a long answer. */
function onStreamRendered(stream: StreamView, waiting: HTMLElement, earlier: HTMLElement | undefined): void {
  if (followsOutput()) scrollToBottom();
  if (waiting.isConnected && stream.text.trim()) {
    waiting.remove();
    // The new answer has begun: the one from before gives way (it is kept, and back if this one fails).
    earlier?.remove();
  }
}

export function renderTurn(turn: TurnView, isLast: boolean): HTMLElement {
  const s = session.strings as WebviewStrings;
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
    const earlierAnswer = turn.replacing === undefined ? undefined : turn.versions?.[turn.replacing]?.answer;
    const earlier = earlierAnswer ? element('div', { className: 'markdown earlier-answer' }) : undefined;
    const stream: StreamView = new StreamView(body, decorateCodeBlocks, () => onStreamRendered(stream, waiting, earlier));
    streams.set(turn.id, stream);
    stream.append(previous ? previous.text : turn.answer);
    // Regenerate and Retry: the answer from before stays in view until the new one has text.
    if (earlier && earlierAnswer && !stream.text.trim()) {
      renderAnswerInto(earlier, earlierAnswer);
      answer.appendChild(earlier);
    }
    answer.appendChild(waiting);
  } else if (turn.answer) {
    renderFinishedAnswer(body, turn.answer);
  }
  const error = renderError(turn, isLast);
  if (error) answer.appendChild(error);
  const meta = renderMeta(turn);
  if (meta) answer.appendChild(meta);
  const attemptError = renderAttemptError(turn, isLast);
  if (attemptError) answer.appendChild(attemptError);
  // Only the last turn can be regenerated (its actions go when it is no longer last); any turn pages its answers.
  const actions = isLast && turn.state !== 'streaming' && turn.state !== 'error'
    ? element('div', { className: 'answer-actions' }, button(s.regenerate, 'refresh', { 'data-action': 'regenerate' }))
    : undefined;
  const versions = renderVersions(turn);
  if (versions || actions) answer.appendChild(element('div', { className: 'answer-controls' }, versions, actions));
  section.appendChild(answer);
  return section;
}
